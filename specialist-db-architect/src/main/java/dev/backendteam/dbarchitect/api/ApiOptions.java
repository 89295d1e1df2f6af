package dev.backendteam.dbarchitect.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The domain spec's optional {@code api} section: derived views and functions to leave out ({@code skip}), others to
 * rename ({@code names}: derived name → wanted name), and the page size of the keyset functions ({@code pageSize}:
 * {@code default}, {@code max}). A spec without it gets every derived object, pages of 20, at most 100.
 */
public record ApiOptions(Set<String> skip, Map<String, String> names, int defaultPage, int maxPage) {
    public static final ApiOptions DEFAULTS = new ApiOptions(Set.of(), Map.of(), 20, 100);

    public static ApiOptions read(JsonNode spec) {
        JsonNode api = spec == null ? null : spec.path("api");
        if (api == null || !api.isObject()) {
            return DEFAULTS;
        }
        Set<String> skip = new LinkedHashSet<>();
        api.path("skip").forEach(n -> skip.add(n.asText()));
        Map<String, String> names = new LinkedHashMap<>();
        api.path("names").fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        int def = api.path("pageSize").path("default").asInt(DEFAULTS.defaultPage());
        int max = api.path("pageSize").path("max").asInt(DEFAULTS.maxPage());
        return new ApiOptions(Set.copyOf(skip), Map.copyOf(names), Math.max(1, Math.min(def, max)), Math.max(1, max));
    }

    /** The name a derived object gets. */
    public String name(String derived) {
        return names.getOrDefault(derived, derived);
    }

    public boolean skipped(String derived) {
        return skip.contains(derived) || skip.contains(name(derived));
    }
}
