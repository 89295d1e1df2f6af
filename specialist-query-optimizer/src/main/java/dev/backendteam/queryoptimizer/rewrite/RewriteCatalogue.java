package dev.backendteam.queryoptimizer.rewrite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rewrite rules as data: {@code rules.yaml} beside this class. */
public final class RewriteCatalogue {
    private static final String RESOURCE = "rules.yaml";

    private record File(List<RewriteRule> rules) {
    }

    private final Map<String, RewriteRule> rules;

    private RewriteCatalogue(Map<String, RewriteRule> rules) {
        this.rules = rules;
    }

    public static RewriteCatalogue load() {
        try (InputStream in = RewriteCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + RESOURCE + " beside " + RewriteCatalogue.class.getName());
            }
            Map<String, RewriteRule> byId = new LinkedHashMap<>();
            for (RewriteRule r : new ObjectMapper(new YAMLFactory()).readValue(in, File.class).rules()) {
                if (byId.put(r.id(), r) != null) {
                    throw new IllegalStateException("rule " + r.id() + " twice in " + RESOURCE);
                }
            }
            return new RewriteCatalogue(java.util.Collections.unmodifiableMap(byId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    public List<RewriteRule> rules() {
        return List.copyOf(rules.values());
    }

    public RewriteRule rule(String id) {
        RewriteRule r = rules.get(id);
        if (r == null) {
            throw new IllegalStateException("no rule " + id + " in " + RESOURCE);
        }
        return r;
    }
}
