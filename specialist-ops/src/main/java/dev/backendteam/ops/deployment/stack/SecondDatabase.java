package dev.backendteam.ops.deployment.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A PostgreSQL a service reaches besides its main datasource, read from its variables: a group of
 * {@code <P>_URL} (or {@code <P>_ADMIN_URL}), the user ({@code _USER} / {@code _USERNAME}, with the same infix) and
 * the password of one prefix {@code <P>}, in a service that needs PostgreSQL, that is not the main datasource's
 * variables ({@code QUARKUS_DATASOURCE_…}, {@code SPRING_DATASOURCE_…}, {@code DATABASE_URL}, {@code JDBC_DATABASE_…}).
 * Such a group gets a database of its own, named after {@code <P>} ({@code BACKEND_TEAM_SANDBOX} →
 * {@code backend-team-sandbox}): a server the service administers (a sandbox, a tenant store) must not be the one
 * that holds the service's own data.
 */
public record SecondDatabase(String name, String url, String user, String password) {
    private static final List<String> MAIN = List.of("QUARKUS_DATASOURCE", "SPRING_DATASOURCE", "JDBC_DATABASE",
            "DATABASE", "PG", "POSTGRES");

    /** The groups of {@code d}'s variables that each name a second database, in the order they are read. */
    public static List<SecondDatabase> of(Deployable d) {
        if (!d.needs().contains("postgres")) {
            return List.of();
        }
        Map<String, EnvVar> byName = d.env().stream()
                .collect(Collectors.toMap(EnvVar::name, Function.identity(), (a, b) -> a));
        List<SecondDatabase> out = new ArrayList<>();
        for (EnvVar e : d.env()) {
            if (!e.name().endsWith("_URL") || !postgresOrEmpty(e.defaultValue())) {
                continue;
            }
            String stem = e.name().substring(0, e.name().length() - "_URL".length());
            String prefix = stem.endsWith("_ADMIN") ? stem.substring(0, stem.length() - "_ADMIN".length()) : stem;
            if (prefix.isEmpty() || MAIN.stream().anyMatch(m -> prefix.equals(m) || prefix.startsWith(m + "_"))) {
                continue;
            }
            Optional<String> user = first(byName, stem + "_USER", stem + "_USERNAME");
            Optional<String> password = first(byName, stem + "_PASSWORD");
            if (user.isPresent() && password.isPresent()) {
                out.add(new SecondDatabase(prefix.toLowerCase(Locale.ROOT).replace('_', '-'), e.name(), user.get(),
                        password.get()));
            }
        }
        return out;
    }

    /** Which group, if any, {@code variable} belongs to among {@code d}'s second databases. */
    public static Optional<SecondDatabase> holding(Deployable d, String variable) {
        return of(d).stream().filter(s -> s.url.equals(variable) || s.user.equals(variable)
                || s.password.equals(variable)).findFirst();
    }

    /** No default (set at deployment), or a PostgreSQL URL: a group with a default of another kind is not one. */
    private static boolean postgresOrEmpty(String value) {
        return value == null || value.isEmpty() || value.startsWith("jdbc:postgresql:")
                || value.startsWith("postgres://") || value.startsWith("postgresql://");
    }

    private static Optional<String> first(Map<String, EnvVar> byName, String... names) {
        for (String n : names) {
            if (byName.containsKey(n)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }
}
