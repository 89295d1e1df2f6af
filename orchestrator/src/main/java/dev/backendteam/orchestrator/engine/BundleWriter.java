package dev.backendteam.orchestrator.engine;

import dev.backendteam.contract.Artifact;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The downloadable bundle in the Supabase CLI layout: {@code supabase/migrations/<timestamp>_<name>.sql} (one
 * second apart, so the CLI keeps their order), down scripts beside them under {@code supabase/rollbacks/}, files
 * at their own paths, and the report as {@code REPORT.md}.
 */
public final class BundleWriter {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    private BundleWriter() {
    }

    public static void write(JobReport report, OutputStream out) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            put(zip, names, "REPORT.md", ReportRenderer.markdown(report));
            Instant base = report.createdAt();
            int n = 0;
            for (Artifact a : report.bundle()) {
                switch (a.kind()) {
                    case MIGRATION -> {
                        String stamped = STAMP.format(base.plusSeconds(n++)) + "_" + a.name().substring(4);
                        put(zip, names, "supabase/migrations/" + stamped, a.content());
                        if (a.down() != null) {
                            put(zip, names, "supabase/rollbacks/" + stamped.replaceAll("\\.sql$", ".down.sql"),
                                    a.down());
                        }
                    }
                    case TYPES -> put(zip, names, "types/" + safe(a.name()), a.content());
                    case DIAGRAM -> put(zip, names, "docs/" + safe(a.name()), a.content());
                    case FILE -> put(zip, names, safe(a.name()), a.content());
                }
            }
        }
    }

    /** Keeps every entry inside the bundle: no absolute paths, no {@code ..}. */
    static String safe(String path) {
        String p = path.replace('\\', '/').replaceAll("^/+", "");
        StringBuilder out = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "/").append(part);
        }
        return out.length() == 0 ? "unnamed" : out.toString();
    }

    private static void put(ZipOutputStream zip, Set<String> names, String name, String content) throws IOException {
        String unique = name;
        for (int i = 2; !names.add(unique); i++) {
            unique = name + "." + i;
        }
        zip.putNextEntry(new ZipEntry(unique));
        zip.write((content == null ? "" : content).getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
