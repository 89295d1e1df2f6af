package dev.backendteam.dbarchitect.engine;

import dev.backendteam.contract.Artifact;
import dev.backendteam.contract.ArtifactKind;
import dev.backendteam.contract.Specialist;

import java.util.List;

/** A migration named by purpose, with its up script and its down script (null when it has none). */
public record Migration(String name, String up, String down) {

    public static Migration of(Artifact artifact) {
        return new Migration(artifact.name(), artifact.content() == null ? "" : artifact.content(), artifact.down());
    }

    /** The MIGRATION artifacts among {@code artifacts}, in their order. */
    public static List<Migration> in(List<Artifact> artifacts) {
        return artifacts.stream().filter(a -> a.kind() == ArtifactKind.MIGRATION).map(Migration::of).toList();
    }

    public Artifact artifact() {
        return Artifact.migration(name, up, down, Specialist.DB_ARCHITECT);
    }
}
