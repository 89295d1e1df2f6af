package dev.backendteam.ops.deployment.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Dockerfile lint catalogue as data ({@code docker/rules.yaml} on the class path): the rules with their
 * severities, messages, fixes and docs, plus the word lists the checks read (secret-looking names, dependency
 * commands, whole-source copies, base images that are not root by default).
 */
public record DockerfileRules(List<String> secretWords, List<String> notSecrets, List<String> dependencyCommands,
        List<String> sourceCopies, List<String> nonRootImages, List<String> shellLessImages, DockerfileRule failure,
        List<DockerfileRule> rules) {
    public static final String RESOURCE = "/dev/backendteam/ops/deployment/docker/rules.yaml";
    private static final Pattern ID = Pattern.compile("docker\\.[a-z0-9]+(-[a-z0-9]+)*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static volatile DockerfileRules standard;

    public DockerfileRules {
        secretWords = List.copyOf(secretWords);
        notSecrets = List.copyOf(notSecrets);
        dependencyCommands = List.copyOf(dependencyCommands);
        sourceCopies = List.copyOf(sourceCopies);
        nonRootImages = List.copyOf(nonRootImages);
        shellLessImages = List.copyOf(shellLessImages);
        rules = List.copyOf(rules);
    }

    public static DockerfileRules standard() {
        DockerfileRules r = standard;
        if (r == null) {
            r = load(RESOURCE);
            standard = r;
        }
        return r;
    }

    public static DockerfileRules load(String resource) {
        DockerfileRules data;
        try (InputStream in = DockerfileRules.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            data = YAML.readValue(in, DockerfileRules.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        Set<String> ids = new HashSet<>();
        for (DockerfileRule r : data.rules()) {
            check(r, resource);
            if (!ids.add(r.id())) {
                throw new IllegalStateException(resource + ": rule " + r.id() + " appears twice");
            }
        }
        check(data.failure(), resource);
        return data;
    }

    /** Whether a variable's name looks like a credential: a word of it (split at _, - and .) is a secret word. */
    public boolean secretLooking(String name) {
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        if (notSecrets.contains(upper)) {
            return false;
        }
        for (String word : upper.split("[_\\-.]+")) {
            if (secretWords.contains(word)) {
                return true;
            }
        }
        return false;
    }

    public DockerfileRule rule(String id) {
        return find(id).orElseThrow(() -> new IllegalStateException("no Dockerfile rule " + id + " in " + RESOURCE));
    }

    public Optional<DockerfileRule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static void check(DockerfileRule r, String where) {
        if (r == null || !ID.matcher(r.id()).matches()) {
            throw new IllegalStateException(where + ": a rule id is docker.<words-with-dashes>, got " + r);
        }
        if (r.severity() == null || r.title() == null || r.message() == null || r.fix() == null || r.doc() == null) {
            throw new IllegalStateException(where + ": rule " + r.id() + " needs severity, title, message, fix and doc");
        }
    }
}
