package dev.backendteam.ops.deployment.docker;

import dev.backendteam.contract.Finding;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints a Dockerfile against the catalogue ({@link DockerfileRules}): each rule id has one check here, and the
 * linter refuses a catalogue with a rule it has no check for (or the reverse), so the table and the code agree.
 * A Dockerfile that does not parse yields only {@code docker.parse} findings.
 */
public final class DockerfileLinter {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}?");

    private final DockerfileRules rules;
    private final List<Pattern> dependencyCommands;
    private final List<Pattern> nonRootImages;
    private final List<Pattern> shellLessImages;
    private final Map<String, BiConsumer<Context, List<Finding>>> checks = new LinkedHashMap<>();

    private record Context(String path, Dockerfile file, DockerfileRule rule, Map<String, String> globalArgs) {
    }

    public DockerfileLinter(DockerfileRules rules) {
        this.rules = rules;
        this.dependencyCommands = rules.dependencyCommands().stream().map(Pattern::compile).toList();
        this.nonRootImages = rules.nonRootImages().stream().map(Pattern::compile).toList();
        this.shellLessImages = rules.shellLessImages().stream().map(Pattern::compile).toList();
        checks.put("docker.base-image-untagged", this::untagged);
        checks.put("docker.base-image-latest", this::latest);
        checks.put("docker.secret-in-env", this::secretInEnv);
        checks.put("docker.secret-in-arg", this::secretInArg);
        checks.put("docker.root-user", this::rootUser);
        checks.put("docker.add-instead-of-copy", this::addInsteadOfCopy);
        checks.put("docker.source-before-dependencies", this::sourceBeforeDependencies);
        checks.put("docker.healthcheck-missing", this::healthcheckMissing);
        checks.put("docker.shell-form-entrypoint", this::shellForm);
        checks.put("docker.maintainer-deprecated", this::maintainer);
        checks.put("docker.expose-missing", this::exposeMissing);
        Set<String> catalogued = new HashSet<>();
        rules.rules().forEach(r -> catalogued.add(r.id()));
        if (!catalogued.equals(checks.keySet())) {
            throw new IllegalStateException("the Dockerfile catalogue " + catalogued + " and the linter's checks "
                    + checks.keySet() + " differ");
        }
    }

    public static DockerfileLinter standard() {
        return new DockerfileLinter(DockerfileRules.standard());
    }

    public DockerfileRules rules() {
        return rules;
    }

    /** Every finding for the Dockerfile at {@code path} with this content, in catalogue order. */
    public List<Finding> lint(String path, String content) {
        Dockerfile file = DockerfileParser.parse(content);
        List<Finding> findings = new ArrayList<>();
        if (!file.problems().isEmpty()) {
            for (Dockerfile.ParseProblem p : file.problems()) {
                findings.add(rules.failure().finding(path, p.line(), Map.of("message", p.message())));
            }
            return findings;
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        for (Instruction i : file.preamble()) {
            if (i.is("ARG")) {
                for (String w : i.words()) {
                    int eq = w.indexOf('=');
                    globalArgs.put(eq < 0 ? w : w.substring(0, eq), eq < 0 ? null : w.substring(eq + 1));
                }
            }
        }
        for (DockerfileRule rule : rules.rules()) {
            checks.get(rule.id()).accept(new Context(path, file, rule, globalArgs), findings);
        }
        return findings;
    }

    // ---- base images -------------------------------------------------------------------------------------------

    private record ImageRef(String written, String resolved, String tag, boolean digest) {
    }

    /** The stages' base images, resolved against global ARG defaults; null when a variable stays unknown. */
    private List<Map.Entry<Instruction, ImageRef>> images(Context c) {
        List<Map.Entry<Instruction, ImageRef>> out = new ArrayList<>();
        Set<String> stageNames = new HashSet<>();
        for (Dockerfile.Stage s : c.file().stages()) {
            String image = s.image();
            String resolved = resolve(image, c.globalArgs());
            boolean earlierStage = stageNames.contains(image.toLowerCase(Locale.ROOT));
            if (s.name() != null) {
                stageNames.add(s.name());
            }
            if (earlierStage || resolved == null || resolved.equalsIgnoreCase("scratch")) {
                continue;
            }
            boolean digest = resolved.contains("@");
            String last = resolved.substring(resolved.lastIndexOf('/') + 1);
            int colon = last.indexOf(':');
            String tag = digest ? null : colon < 0 ? null : last.substring(colon + 1);
            out.add(Map.entry(s.from(), new ImageRef(image, resolved, tag, digest)));
        }
        return out;
    }

    private static String resolve(String text, Map<String, String> args) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = args.get(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void untagged(Context c, List<Finding> out) {
        for (Map.Entry<Instruction, ImageRef> e : images(c)) {
            if (e.getValue().tag() == null && !e.getValue().digest()) {
                out.add(c.rule().finding(c.path(), e.getKey().line(), Map.of("image", e.getValue().resolved())));
            }
        }
    }

    private void latest(Context c, List<Finding> out) {
        for (Map.Entry<Instruction, ImageRef> e : images(c)) {
            if ("latest".equalsIgnoreCase(e.getValue().tag())) {
                out.add(c.rule().finding(c.path(), e.getKey().line(), Map.of("image", e.getValue().resolved())));
            }
        }
    }

    // ---- secrets -----------------------------------------------------------------------------------------------

    /** ENV's pairs: {@code ENV a=1 b="2 3"} or the legacy {@code ENV name value with spaces}. */
    private static Map<String, String> envPairs(Instruction i) {
        Map<String, String> pairs = new LinkedHashMap<>();
        List<String> words = i.words();
        if (!words.isEmpty() && !words.get(0).contains("=")) {
            String rest = i.arguments().strip();
            int space = rest.indexOf(' ');
            pairs.put(words.get(0), space < 0 ? "" : rest.substring(space).strip());
            return pairs;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq > 0) {
                pairs.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        return pairs;
    }

    private void secretInEnv(Context c, List<Finding> out) {
        for (Instruction i : c.file().instructions()) {
            if (i.is("ENV")) {
                envPairs(i).forEach((name, value) -> {
                    if (rules.secretLooking(name) && !value.isEmpty()) {
                        out.add(c.rule().finding(c.path(), i.line(), Map.of("name", name)));
                    }
                });
            }
        }
    }

    private void secretInArg(Context c, List<Finding> out) {
        for (Instruction i : c.file().instructions()) {
            if (i.is("ARG")) {
                for (String w : i.words()) {
                    int eq = w.indexOf('=');
                    String name = eq < 0 ? w : w.substring(0, eq);
                    if (rules.secretLooking(name)) {
                        out.add(c.rule().finding(c.path(), i.line(), Map.of("name", name)));
                    }
                }
            }
        }
    }

    // ---- the final stage ---------------------------------------------------------------------------------------

    private void rootUser(Context c, List<Finding> out) {
        c.file().finalStage().ifPresent(stage -> {
            List<Instruction> users = c.file().inStage(stage.index()).stream().filter(i -> i.is("USER")).toList();
            if (users.isEmpty()) {
                String image = resolve(stage.image(), c.globalArgs());
                boolean nonRootBase = image != null && nonRootImages.stream().anyMatch(p -> p.matcher(image).matches());
                if (!nonRootBase) {
                    out.add(c.rule().finding(c.path(), stage.from().line(),
                            Map.of("user", "root (no USER instruction)")));
                }
                return;
            }
            Instruction last = users.get(users.size() - 1);
            String user = last.words().isEmpty() ? "" : last.words().get(0);
            String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
            if (name.equals("root") || name.equals("0")) {
                out.add(c.rule().finding(c.path(), last.line(), Map.of("user", user)));
            }
        });
    }

    private void healthcheckMissing(Context c, List<Finding> out) {
        c.file().finalStage().ifPresent(stage -> {
            String image = resolve(stage.image(), c.globalArgs());
            if (image != null && shellLessImages.stream().anyMatch(p -> p.matcher(image).matches())) {
                return; // nothing there can ask an HTTP endpoint: the platform's health check does
            }
            List<Instruction> checks = c.file().inStage(stage.index()).stream()
                    .filter(i -> i.is("HEALTHCHECK")).toList();
            boolean none = checks.isEmpty() || checks.get(checks.size() - 1).words().stream().findFirst()
                    .map(w -> w.equalsIgnoreCase("NONE")).orElse(true);
            if (none) {
                out.add(c.rule().finding(c.path(), stage.from().line(), Map.of()));
            }
        });
    }

    private void exposeMissing(Context c, List<Finding> out) {
        c.file().finalStage().ifPresent(stage -> {
            if (c.file().inStage(stage.index()).stream().noneMatch(i -> i.is("EXPOSE"))) {
                out.add(c.rule().finding(c.path(), stage.from().line(), Map.of()));
            }
        });
    }

    private void shellForm(Context c, List<Finding> out) {
        c.file().finalStage().ifPresent(stage -> {
            for (Instruction i : c.file().inStage(stage.index())) {
                if ((i.is("ENTRYPOINT") || i.is("CMD")) && !i.isExecForm()) {
                    out.add(c.rule().finding(c.path(), i.line(), Map.of("keyword", i.keyword())));
                }
            }
        });
    }

    // ---- instructions ------------------------------------------------------------------------------------------

    private void addInsteadOfCopy(Context c, List<Finding> out) {
        for (Instruction i : c.file().instructions()) {
            if (i.is("ADD")) {
                List<String> words = i.words();
                for (String source : words.subList(0, Math.max(0, words.size() - 1))) {
                    if (!source.matches("(?i)(https?|git)://.*|git@.*")) {
                        out.add(c.rule().finding(c.path(), i.line(), Map.of("source", source)));
                        break;
                    }
                }
            }
        }
    }

    private void sourceBeforeDependencies(Context c, List<Finding> out) {
        for (Dockerfile.Stage stage : c.file().stages()) {
            List<Instruction> in = c.file().inStage(stage.index());
            Instruction wholeSource = null;
            String source = null;
            for (Instruction i : in) {
                if (i.is("COPY") && !i.flags().containsKey("from") && wholeSource == null) {
                    List<String> words = i.words();
                    for (String s : words.subList(0, Math.max(0, words.size() - 1))) {
                        if (rules.sourceCopies().contains(s)) {
                            wholeSource = i;
                            source = s;
                            break;
                        }
                    }
                } else if (i.is("RUN") && wholeSource != null) {
                    String command = i.isExecForm() ? String.join(" ", i.execForm()) : i.arguments();
                    if (dependencyCommands.stream().anyMatch(p -> p.matcher(command).find())) {
                        out.add(c.rule().finding(c.path(), i.line(), Map.of("source", source,
                                "sourceLine", String.valueOf(wholeSource.line()), "command", firstLine(command))));
                        break;
                    }
                }
            }
        }
    }

    private static String firstLine(String command) {
        String one = command.strip().lines().findFirst().orElse("");
        return one.length() > 80 ? one.substring(0, 77) + "…" : one;
    }

    private void maintainer(Context c, List<Finding> out) {
        for (Instruction i : c.file().instructions()) {
            if (i.is("MAINTAINER")) {
                out.add(c.rule().finding(c.path(), i.line(), Map.of()));
            }
        }
    }
}
