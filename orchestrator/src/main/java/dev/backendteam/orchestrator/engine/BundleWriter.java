package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.RelativePath;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The downloadable bundle in the Supabase CLI layout: {@code supabase/migrations/<timestamp>_<name>.sql} (one
 * second apart, so the CLI keeps their order), down scripts beside them under {@code supabase/rollbacks/}, files
 * at their own paths, and the report as {@code REPORT.md}. Every entry name is a {@link RelativePath}, so that
 * no entry can land outside the folder the bundle is extracted into: an artifact whose name would break that is
 * left out by {@link ReportBuilder} ({@link #refusal}), and this writer refuses to write one it is given anyway.
 */
public final class BundleWriter {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    private BundleWriter() {
    }

    /** One file of the bundle: its path inside the zip and its content. */
    private record Entry(String name, String content) {
    }

    /** @throws IllegalArgumentException if an artifact is {@linkplain #refusal refused}: no report should hold one */
    public static void write(JobReport report, OutputStream out) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            put(zip, names, new Entry("REPORT.md", ReportRenderer.markdown(report)));
            Instant base = report.createdAt();
            int n = 0;
            for (Artifact a : report.bundle()) {
                Optional<String> refused = refusal(a);
                if (refused.isPresent()) {
                    throw new IllegalArgumentException("refusing to write the artifact '" + a.name() + "' from "
                            + a.producedBy() + " into the bundle: " + refused.get());
                }
                Instant stamp = a.kind() == ArtifactKind.MIGRATION ? base.plusSeconds(n++) : base;
                for (Entry e : entries(a, stamp)) {
                    put(zip, names, e);
                }
            }
        }
    }

    /**
     * Why {@code artifact} cannot go into a bundle ("its name has a '..' segment"), or empty if it can: a file,
     * type or diagram name must itself be a {@link RelativePath}, and so must every entry the artifact becomes.
     * A migration is judged by its numbered name ({@code NNN_purpose.sql}).
     */
    public static Optional<String> refusal(Artifact artifact) {
        if (artifact.kind() == null) {
            return Optional.of("it has no kind");
        }
        if (artifact.kind() != ArtifactKind.MIGRATION) {
            Optional<String> problem = RelativePath.problem(artifact.name());
            if (problem.isPresent()) {
                return Optional.of("its name " + problem.get());
            }
        } else if (artifact.name() == null) {
            return Optional.of("it has no name");
        }
        for (Entry e : entries(artifact, Instant.EPOCH)) {
            Optional<String> problem = RelativePath.problem(e.name());
            if (problem.isPresent()) {
                return Optional.of("its path in the bundle " + problem.get());
            }
        }
        return Optional.empty();
    }

    private static List<Entry> entries(Artifact a, Instant stamp) {
        return switch (a.kind()) {
            case MIGRATION -> {
                String stamped = STAMP.format(stamp) + "_" + a.name().replaceFirst("^\\d+_", "");
                Entry up = new Entry("supabase/migrations/" + stamped, a.content());
                yield a.down() == null ? List.of(up) : List.of(up, new Entry("supabase/rollbacks/"
                        + stamped.replaceAll("\\.sql$", ".down.sql"), a.down()));
            }
            case TYPES -> List.of(new Entry("types/" + a.name(), a.content()));
            case DIAGRAM -> List.of(new Entry("docs/" + a.name(), a.content()));
            case FILE -> List.of(new Entry(a.name(), a.content()));
        };
    }

    private static void put(ZipOutputStream zip, Set<String> names, Entry entry) throws IOException {
        String unique = entry.name();
        for (int i = 2; !names.add(unique); i++) {
            unique = entry.name() + "." + i;
        }
        Optional<String> problem = RelativePath.problem(unique);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("refusing to write the bundle entry '" + unique + "': it "
                    + problem.get());
        }
        zip.putNextEntry(new ZipEntry(unique));
        zip.write((entry.content() == null ? "" : entry.content()).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
