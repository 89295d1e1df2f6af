package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.backendteam.contract.EvidenceData;
import dev.backendteam.contract.Json;

import java.util.Arrays;
import java.util.Optional;

/**
 * The known kinds of structured evidence, each with its record and its JSON Schema
 * ({@code /dev/backendteam/contract/evidence/<kind>.v<version>.schema.json} on the classpath). A new version of a
 * kind's shape gets a new schema file; readers render only the versions they know.
 */
public enum EvidenceKind {
    /** Every access case of the RLS matrix: table × operation × actor, expected and actual verdict. */
    RLS_MATRIX("rls-matrix", 1, RlsMatrix.class),
    /** Planner costs (and measured times) of each query before and after an index set. */
    PLAN_COSTS("plan-costs", 1, PlanCosts.class),
    /** Two catalog snapshots compared: what is left behind, what is missing. */
    CATALOG_DIFF("catalog-diff", 1, CatalogDiff.class),
    /** Each table's privileges per API role, compared with what the access intent implies. */
    GRANT_CHECK("grant-check", 1, GrantCheck.class),
    /** Who may do what to which rows: every table's access rules, where they come from and what was assumed. */
    ACCESS_INTENT("access-intent", 1, dev.backendteam.contract.access.AccessIntent.class);

    private final String id;
    private final int version;
    private final Class<? extends Record> type;

    EvidenceKind(String id, int version, Class<? extends Record> type) {
        this.id = id;
        this.version = version;
        this.type = type;
    }

    public String id() {
        return id;
    }

    public int version() {
        return version;
    }

    public Class<? extends Record> type() {
        return type;
    }

    /** The classpath resource of this kind's JSON Schema. */
    public String schemaResource() {
        return "/dev/backendteam/contract/evidence/" + id + ".v" + version + ".schema.json";
    }

    /** The payload as evidence data of this kind. */
    public EvidenceData wrap(Record payload) {
        if (!type.isInstance(payload)) {
            throw new IllegalArgumentException(id + " carries " + type.getSimpleName() + ", not "
                    + payload.getClass().getSimpleName());
        }
        return EvidenceData.of(id, version, payload);
    }

    /** The known kind and version of {@code data}, if this reader knows it. */
    public static Optional<EvidenceKind> of(EvidenceData data) {
        if (data == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(k -> k.id.equals(data.kind()) && k.version == data.version())
                .findFirst();
    }

    /** The payload as its record, or empty when the kind is unknown or the data does not fit its shape. */
    public static <T extends Record> Optional<T> read(EvidenceData data, Class<T> type) {
        Optional<EvidenceKind> kind = of(data);
        if (kind.isEmpty() || kind.get().type != type || data.data() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.events().treeToValue(data.data(), type));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
