package dev.backendteam.orchestrator.config;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the target databases configured in the environment ({@code BACKEND_TEAM_TARGET_<NAME>_URL}). Only
 * names are known here: URLs never travel in requests, events, job records or logs.
 */
public final class TargetRegistry {
    private static final Pattern NAME = Pattern.compile("(?i)backend[-_.]team[-_.]target[-_.](.+)[-_.]url");

    private final Set<String> names = new TreeSet<>();

    public TargetRegistry(Iterable<String> propertyNames) {
        for (String property : propertyNames) {
            Matcher m = NAME.matcher(property);
            if (m.matches()) {
                names.add(normalise(m.group(1)));
            }
        }
    }

    public static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
    }

    public boolean has(String name) {
        return names.contains(normalise(name));
    }

    public Set<String> names() {
        return Set.copyOf(names);
    }
}
