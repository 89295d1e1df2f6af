package dev.backendteam.queryoptimizer.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** The word lists text is drawn from (vocabulary.properties), as SQL text[] constants. */
final class Vocabulary {
    private final Properties lists = new Properties();

    Vocabulary() {
        try (InputStream in = Vocabulary.class.getResourceAsStream("vocabulary.properties")) {
            lists.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> list(String name) {
        String v = lists.getProperty(name);
        if (v == null) {
            throw new IllegalStateException("no word list " + name + " in vocabulary.properties");
        }
        return Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    /** One word of the list, uniformly: {@code ('{a,b}'::text[])[1 + floor(random() * 2)::int]}. */
    String pick(String name) {
        List<String> words = list(name);
        return "(" + textArray(words) + ")[1 + floor(random() * " + words.size() + ")::int]";
    }

    /** A passage of the lorem text of 80 to 400 characters, from a random place. */
    String passage() {
        String lorem = lists.getProperty("lorem");
        int len = lorem.length();
        return "substr(" + Sql.literal(lorem) + ", 1 + floor(random() * " + (len - 400) + ")::int, 80 + floor(random() * 320)::int)";
    }

    static String textArray(List<String> words) {
        StringBuilder s = new StringBuilder("array[");
        for (int i = 0; i < words.size(); i++) {
            s.append(i == 0 ? "" : ",").append(Sql.literal(words.get(i)));
        }
        return s.append("]::text[]").toString();
    }
}
