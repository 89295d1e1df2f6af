package dev.backendteam.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * One task phrasing of {@code routing/labelled-tasks.yaml} with the flow a person would start for it, or
 * {@value #UNCLEAR} where a person would ask back first.
 *
 * @param set {@value #TUNING} (the default): the example phrasings were tuned while these were measured;
 *            {@value #HELD_OUT}: written before that tuning and measured only after it
 */
record LabelledTask(String text, String expect, String lang, String set) {

    static final String RESOURCE = "routing/labelled-tasks.yaml";
    static final String UNCLEAR = "unclear";
    static final String TUNING = "tuning";
    static final String HELD_OUT = "held-out";

    record File(List<LabelledTask> tasks) {
    }

    LabelledTask {
        if (text == null || text.isBlank() || expect == null || lang == null) {
            throw new IllegalArgumentException("a labelled task needs text, expect and lang: " + text);
        }
        set = set == null ? TUNING : set;
        if (!set.equals(TUNING) && !set.equals(HELD_OUT)) {
            throw new IllegalArgumentException("set is " + TUNING + " or " + HELD_OUT + ", not " + set);
        }
    }

    boolean english() {
        return lang.equals("en");
    }

    /**
     * The text as compared for disjointness: case, accents' composition, punctuation and spacing do not make two
     * phrasings different.
     */
    static String normalized(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    static List<LabelledTask> fromClasspath() {
        InputStream in = LabelledTask.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (in) {
            return mapper.readValue(in, File.class).tasks();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
