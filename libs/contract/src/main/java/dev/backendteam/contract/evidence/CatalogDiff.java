package dev.backendteam.contract.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Kind {@code catalog-diff}: two catalog snapshots compared ({@code before} and {@code after} name them, e.g. "before
 * the migrations" and "after the down scripts"); {@code compared} objects, what the second has that the first had not
 * ({@code leftBehind}) and what it lost ({@code missing}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogDiff(String before, String after, int compared, List<String> leftBehind,
        List<String> missing) {

    public CatalogDiff {
        leftBehind = leftBehind == null ? List.of() : List.copyOf(leftBehind);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }
}
