package dev.backendteam.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backendteam.contract.evidence.EvidenceKind;

/**
 * The structured payload of an {@link Evidence}: its {@code kind} ({@code rls-matrix}, {@code plan-costs},
 * {@code catalog-diff}, {@code grant-check}), the version of that kind's shape, and the data. Each known kind has a
 * record and a JSON Schema in {@code dev.backendteam.contract.evidence} ({@link EvidenceKind}); a reader that does not
 * know a kind (or its version) shows the evidence without it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvidenceData(String kind, int version, JsonNode data) {

    public static EvidenceData of(String kind, int version, Object value) {
        return new EvidenceData(kind, version, Json.events().valueToTree(value));
    }
}
