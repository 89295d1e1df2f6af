package dev.backendteam.dbarchitect.engine.lint;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The lint rules and the parameters of their detections, read from {@code lint-rules.yaml}. */
public record LintCatalog(List<LintRule> rules, Parameters parameters) {
    public static final String RESOURCE = "/dev/backendteam/dbarchitect/lint-rules.yaml";

    public record Parameters(List<String> volatileFunctions, List<String> escapeFunctions,
            List<String> escapeExtensions, List<String> untrustedLanguages, List<String> sqlCommands) {

        Set<String> set(List<String> words) {
            return words.stream().map(w -> w.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        }
    }

    public static LintCatalog standard() {
        try (InputStream in = LintCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            LintCatalog catalog = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build().readValue(in, LintCatalog.class);
            catalog.byId(); // rejects duplicate ids
            return catalog;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public Map<String, LintRule> byId() {
        Map<String, LintRule> byId = new LinkedHashMap<>();
        for (LintRule rule : rules) {
            if (byId.put(rule.id(), rule) != null) {
                throw new IllegalStateException("lint rule " + rule.id() + " is listed twice");
            }
        }
        return byId;
    }
}
