package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A file handed in by the user (package.json, pom.xml, a Dockerfile…). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileInput(String path, String content) {
}
