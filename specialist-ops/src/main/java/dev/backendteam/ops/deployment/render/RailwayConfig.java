package dev.backendteam.ops.deployment.render;

import dev.backendteam.ops.deployment.stack.Deployable;
import dev.backendteam.ops.deployment.stack.EnvVar;
import dev.backendteam.ops.deployment.stack.SecondDatabase;
import dev.backendteam.ops.deployment.stack.StackKind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Writes {@code .railway/railway.ts} against the {@code railway/iac} API of the pinned {@code railway} package:
 * one {@code service} per deployable (built from its Dockerfile, with its health check, replicas and variables),
 * {@code postgres} and a Kafka service when a deployable needs them. A variable is written only as a reference to
 * another resource's variable, or {@code preserve()} (set once in Railway); a value that has a default in the
 * service's configuration is left to that default.
 */
public final class RailwayConfig {
    /** How a variable is wired: its TypeScript value, and how DEPLOY.md describes it. */
    public record Wiring(String service, String variable, String value, String needed) {
    }

    private final BaseImages images;

    public RailwayConfig(BaseImages images) {
        this.images = images;
    }

    public List<Wiring> wiring(List<Deployable> deployables) {
        List<Wiring> out = new ArrayList<>();
        for (Deployable d : deployables) {
            for (EnvVar e : d.env()) {
                String value = reference(e, d);
                if (d.build().toolchains().stream().anyMatch(t -> e.name().equals(t.variable()))) {
                    out.add(new Wiring(d.name(), e.name(), null, "set by its image (ENV in its Dockerfile) to the"
                            + " checkers it carries"));
                } else if (value != null && value.equals(PARTITIONS)) {
                    out.add(new Wiring(d.name(), e.name(), value, "the partitions of the topics it creates: as many"
                            + " as the most replicas of any service (replicas above), at least " + partitionsFloor(List.of(d))
                            + ", since a consumer group's replicas beyond its topic's partitions idle"));
                } else if (value != null && SecondDatabase.holding(d, e.name()).isPresent()) {
                    out.add(new Wiring(d.name(), e.name(), value, "by reference to "
                            + SecondDatabase.holding(d, e.name()).get().name() + ", a PostgreSQL of its own"
                            + (value.startsWith("\"jdbc:") ? ", as a JDBC URL" : "")));
                } else if (value != null) {
                    out.add(new Wiring(d.name(), e.name(), value, value.startsWith("\"jdbc:")
                            ? "by reference, as a JDBC URL: " + e.source() + " is a JDBC URL and Railway's own"
                            + " DATABASE_URL is postgresql://user:password@host:port/db, which the driver refuses"
                            : "by reference"));
                } else if (e.secret()) {
                    out.add(new Wiring(d.name(), e.name(), "preserve()", "secret: set it in Railway"));
                } else if (e.required()) {
                    out.add(new Wiring(d.name(), e.name(), "preserve()", "required: set it in Railway"));
                } else {
                    out.add(new Wiring(d.name(), e.name(), null, !printable(e) ? "optional (has a default)"
                            : e.defaultValue().isEmpty() ? "optional (empty by default)"
                            : "optional (default " + e.defaultValue() + ")"));
                }
            }
        }
        return out;
    }

    /**
     * Whether a default may be written into a generated file: not one with user info ({@code redis://:pw@host}) or
     * any {@code @}, nor that of a variable whose name says it holds a secret or a connection string.
     */
    static boolean printable(EnvVar e) {
        return !e.defaultValue().contains("@") && !SECRET_NAME.matcher(e.name()).find();
    }

    /** The TypeScript expression of the topics' partition count (the const of that name in railway.ts). */
    private static final String PARTITIONS = "String(partitions)";

    private static final String JDBC_URL = "\"jdbc:postgresql://${{postgres.PGHOST}}:${{postgres.PGPORT}}/"
            + "${{postgres.PGDATABASE}}\"";
    /** A configuration key whose value is a JDBC URL (Quarkus, Spring, Micronaut, plain JDBC). */
    private static final Pattern JDBC_PROPERTY = Pattern.compile("(?i)(jdbc[.-]url|datasource\\.url)\\s*$");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL|DSN", Pattern.CASE_INSENSITIVE);

    /**
     * The reference a well-known variable gets from a backing service, or null. A {@code DATABASE_URL} the service
     * reads as a JDBC URL ({@code quarkus.datasource.jdbc.url=${DATABASE_URL}}) is built from Railway's parts:
     * Railway's {@code DATABASE_URL} itself is {@code postgresql://…}, which no JDBC driver takes.
     */
    private static String reference(EnvVar e, Deployable d) {
        String name = e.name();
        Optional<SecondDatabase> second = SecondDatabase.holding(d, name);
        if (second.isPresent()) {
            SecondDatabase db = second.get();
            String id = identifier(db.name());
            if (name.equals(db.url())) {
                return d.kind() == StackKind.QUARKUS || d.kind() == StackKind.JAVA_MAVEN
                        ? "\"jdbc:postgresql://${{" + db.name() + ".PGHOST}}:${{" + db.name() + ".PGPORT}}/${{"
                        + db.name() + ".PGDATABASE}}\"" : id + ".env.DATABASE_URL";
            }
            return id + ".env." + (name.equals(db.user()) ? "PGUSER" : "PGPASSWORD");
        }
        if (d.needs().contains("kafka") && name.endsWith("_PARTITIONS")) {
            return PARTITIONS;
        }
        if (d.needs().contains("postgres") && name.equals("DATABASE_URL") && e.source() != null
                && JDBC_PROPERTY.matcher(e.source()).find()) {
            return JDBC_URL;
        }
        if (d.needs().contains("kafka") && name.contains("KAFKA") && name.contains("BOOTSTRAP")) {
            return "kafka.env.BOOTSTRAP_SERVERS";
        }
        if (d.needs().contains("postgres")) {
            switch (name) {
                case "DATABASE_URL", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD" -> {
                    return "postgres.env." + name;
                }
                case "QUARKUS_DATASOURCE_JDBC_URL", "SPRING_DATASOURCE_URL", "JDBC_DATABASE_URL" -> {
                    return JDBC_URL;
                }
                case "QUARKUS_DATASOURCE_USERNAME", "SPRING_DATASOURCE_USERNAME" -> {
                    return "postgres.env.PGUSER";
                }
                case "QUARKUS_DATASOURCE_PASSWORD", "SPRING_DATASOURCE_PASSWORD" -> {
                    return "postgres.env.PGPASSWORD";
                }
                default -> {
                }
            }
        }
        if (d.needs().contains("redis") && name.equals("REDIS_URL")) {
            return "redis.env.REDIS_URL";
        }
        return null;
    }

    public String write(String projectName, List<Deployable> deployables) {
        TreeSet<String> needs = new TreeSet<>();
        deployables.forEach(d -> needs.addAll(d.needs()));
        TreeSet<String> imports = new TreeSet<>(List.of("defineRailway", "project", "service"));
        StringBuilder body = new StringBuilder();
        List<String> resources = new ArrayList<>();
        if (needs.contains("postgres")) {
            imports.add("postgres");
            body.append("  const postgres = postgresDatabase(\"postgres\");\n\n");
            resources.add("postgres");
        }
        // name → its variables (url, user, password) → the services that read them
        Map<String, Map<String, List<String>>> secondDatabases = new LinkedHashMap<>();
        for (Deployable d : deployables) {
            for (SecondDatabase db : SecondDatabase.of(d)) {
                secondDatabases.computeIfAbsent(db.name(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(String.join(", ", db.url(), db.user(), db.password()), k -> new ArrayList<>())
                        .add(d.name());
            }
        }
        secondDatabases.forEach((name, users) -> {
            imports.add("postgres");
            String id = identifier(name);
            body.append("  // ").append(name).append(": a PostgreSQL of its own, apart from the services' data, for\n");
            users.forEach((vars, services) -> body.append("  // ").append(vars).append(" of ")
                    .append(String.join(", ", services)).append('\n'));
            body.append("  const ").append(id).append(" = postgresDatabase(\"").append(name).append("\");\n\n");
            resources.add(id);
        });
        if (needs.contains("redis")) {
            imports.add("redis");
            body.append("  const redis = redisDatabase(\"redis\");\n\n");
            resources.add("redis");
        }
        if (needs.contains("kafka")) {
            imports.add("image");
            imports.add("volume");
            body.append("""
                      // A single-node Kafka (KRaft) on the private network; a managed Kafka is the choice for production.
                      const kafkaData = volume("kafka-data");
                      const kafka = service("kafka", {
                        source: image("%s"),
                        volumeMounts: { "/var/lib/kafka/data": kafkaData },
                        env: {
                          KAFKA_NODE_ID: "1",
                          KAFKA_PROCESS_ROLES: "broker,controller",
                          KAFKA_LISTENERS: "PLAINTEXT://:9092,CONTROLLER://:9093",
                          KAFKA_ADVERTISED_LISTENERS: "PLAINTEXT://${{RAILWAY_PRIVATE_DOMAIN}}:9092",
                          KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
                          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                          KAFKA_CONTROLLER_QUORUM_VOTERS: "1@localhost:9093",
                          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
                          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
                          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
                          KAFKA_LOG_DIRS: "/var/lib/kafka/data",
                          // what the other services reference as kafka.env.BOOTSTRAP_SERVERS
                          BOOTSTRAP_SERVERS: "${{RAILWAY_PRIVATE_DOMAIN}}:9092",
                        },
                      });

                    """.formatted(images.kafka()));
            resources.add("kafkaData");
            resources.add("kafka");
        }
        Map<String, List<Wiring>> byService = new LinkedHashMap<>();
        wiring(deployables).forEach(w -> byService.computeIfAbsent(w.service(), k -> new ArrayList<>()).add(w));
        boolean preserve = false;
        for (Deployable d : deployables) {
            String id = identifier(d.name());
            body.append("  // ").append(d.name()).append(": ").append(d.publicHttp()
                    ? "public (give it a Railway domain: railway domain --service " + d.name() + ")"
                    : "private (reached on the private network only; no domain)").append('\n');
            body.append("  const ").append(id).append(" = service(\"").append(d.name()).append("\", {\n");
            body.append("    build: { builder: \"DOCKERFILE\", dockerfilePath: \"").append(d.dockerfilePath())
                    .append("\" },\n");
            body.append("    healthcheck: \"").append(d.healthPath()).append("\",\n");
            body.append("    healthcheckTimeout: 120,\n");
            body.append("    replicas: replicas[\"").append(d.name()).append("\"],\n");
            List<Wiring> vars = byService.getOrDefault(d.name(), List.of()).stream()
                    .filter(w -> w.value() != null).toList();
            if (!vars.isEmpty()) {
                body.append("    env: {\n");
                for (Wiring w : vars) {
                    preserve |= w.value().equals("preserve()");
                    body.append("      ").append(w.variable()).append(": ").append(w.value()).append(",\n");
                }
                body.append("    },\n");
            }
            body.append("  });\n\n");
            resources.add(id);
        }
        if (preserve) {
            imports.add("preserve");
        }
        StringBuilder ts = new StringBuilder();
        ts.append("// The Railway project of ").append(projectName).append(", as code. Generated by backend-team ops"
                + " (deployment).\n");
        ts.append("// The Railway CLI evaluates it (railway config plan / apply); it is typed against the railway"
                + " package pinned in\n// .railway/package.json. No secret is written here: variables are references"
                + " to other resources' variables,\n// or preserve() for a value set once in Railway.\n");
        ts.append("import { ").append(String.join(", ", imports.stream().map(RailwayConfig::importName).toList()))
                .append(" } from \"railway/iac\";\n\n");
        ts.append("// Replicas per service, the one place to scale one. The replicas of a service that consumes Kafka share its\n"
                + "// consumer group, so each takes some of its topic's partitions: a replica beyond the partition count idles.\n");
        ts.append("const replicas = {\n");
        deployables.forEach(d -> ts.append("  \"").append(d.name()).append("\": 1,\n"));
        ts.append("} satisfies Record<string, number>;\n");
        if (deployables.stream().anyMatch(d -> d.needs().contains("kafka") && d.env().stream()
                .anyMatch(e -> e.name().endsWith("_PARTITIONS")))) {
            ts.append("// The topics are created with as many partitions as the most replicas of any service (at least the\n"
                    + "// configured default). Kafka cannot take partitions away: raise it, never lower it.\n");
            ts.append("const partitions = Math.max(").append(partitionsFloor(deployables))
                    .append(", ...Object.values(replicas));\n");
        }
        ts.append("\nexport default defineRailway(() => {\n").append(body);
        ts.append("  return project(\"").append(projectName).append("\", {\n    resources: [")
                .append(String.join(", ", resources)).append("],\n  });\n});\n");
        return ts.toString();
    }

    /** The default partition count the services' configuration gives (the largest), or 1. */
    static int partitionsFloor(List<Deployable> deployables) {
        return deployables.stream().flatMap(d -> d.env().stream())
                .filter(e -> e.name().endsWith("_PARTITIONS") && e.defaultValue() != null
                        && e.defaultValue().matches("\\d{1,4}"))
                .mapToInt(e -> Integer.parseInt(e.defaultValue())).max().orElse(1);
    }

    private static String importName(String name) {
        return switch (name) {
            case "postgres" -> "postgres as postgresDatabase";
            case "redis" -> "redis as redisDatabase";
            default -> name;
        };
    }

    static String identifier(String name) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            } else {
                upper = out.length() > 0;
            }
        }
        String id = out.toString();
        if (id.isEmpty() || Character.isDigit(id.charAt(0))) {
            id = "service" + id;
        }
        return switch (id.toLowerCase(Locale.ROOT)) {
            case "postgres", "redis", "kafka", "kafkadata", "replicas", "partitions" -> id + "Service";
            default -> id;
        };
    }
}
