package dev.backendteam.ops.deployment.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file template under {@code templates/} with {@code {{name}}} placeholders (letters and digits only, so GitHub's
 * {@code ${{ secrets.X }}} and Railway's {@code ${{service.VAR}}} pass through untouched). Filling it with a missing
 * value fails: a template never ships with a hole.
 */
public final class Template {
    private static final String DIR = "/dev/backendteam/ops/deployment/templates/";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9]*)}}");

    private Template() {
    }

    public static String text(String name) {
        return text(DIR, name);
    }

    /** A template of another role's folder ({@code dir}: a classpath folder ending in /). */
    public static String text(String dir, String name) {
        try (InputStream in = Template.class.getResourceAsStream(dir + name)) {
            if (in == null) {
                throw new IllegalStateException("missing template " + dir + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + name, e);
        }
    }

    public static String fill(String name, Map<String, String> values) {
        return fill(DIR, name, values);
    }

    public static String fill(String dir, String name, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text(dir, name));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("template " + name + " needs a value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
