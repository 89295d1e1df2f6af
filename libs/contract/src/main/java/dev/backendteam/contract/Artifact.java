package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Something delivered. {@code name} is a purpose for migrations ({@code create_comments}) and a relative path for
 * files; {@code content} is the up script or the file body; {@code down} is a migration's rollback.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Artifact(ArtifactKind kind, String name, String content, String down, String producedBy) {

    public static Artifact migration(String name, String up, String down, Specialist by) {
        return new Artifact(ArtifactKind.MIGRATION, name, up, down, by.id());
    }

    public static Artifact file(String path, String content, Specialist by) {
        return new Artifact(ArtifactKind.FILE, path, content, null, by.id());
    }
}
