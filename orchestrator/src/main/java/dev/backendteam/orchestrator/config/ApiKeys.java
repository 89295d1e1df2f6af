package dev.backendteam.orchestrator.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured API keys, mapped to owner names. Keys are compared in constant time and never logged; a bare key
 * gets an owner name derived from its hash.
 */
public final class ApiKeys {
    public static final String LOCAL_OWNER = "local";

    private final Map<String, String> ownersByKey = new LinkedHashMap<>();

    public ApiKeys(Optional<String> setting) {
        setting.ifPresent(s -> {
            for (String entry : s.split(",")) {
                String e = entry.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int colon = e.indexOf(':');
                String name = colon > 0 ? e.substring(0, colon).trim() : "key-" + sha256(e).substring(0, 8);
                String key = colon > 0 ? e.substring(colon + 1).trim() : e;
                if (key.length() < 16) {
                    throw new IllegalArgumentException("API key of '" + name + "' is shorter than 16 characters");
                }
                ownersByKey.put(key, name);
            }
        });
    }

    public boolean enabled() {
        return !ownersByKey.isEmpty();
    }

    public int count() {
        return ownersByKey.size();
    }

    /** The owner of this key, if it is one of ours. */
    public Optional<String> owner(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, String> e : ownersByKey.entrySet()) {
            if (MessageDigest.isEqual(p, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
