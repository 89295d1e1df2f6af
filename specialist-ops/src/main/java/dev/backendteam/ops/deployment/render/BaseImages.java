package dev.backendteam.ops.deployment.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The pinned base images ({@code templates/base-images.yaml}), by runtime and major version. */
public record BaseImages(Map<String, String> maven, Map<String, String> jre, Map<String, String> node,
        Map<String, String> python, Map<String, String> deno, Map<String, String> go, String goRuntime, String kafka,
        String nativeBuilder, String nativeRuntime) {

    public static BaseImages standard() {
        try {
            return new ObjectMapper(new YAMLFactory()).readValue(Template.text("base-images.yaml"), BaseImages.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read base-images.yaml", e);
        }
    }

    /** The image for {@code version}, or the newest one listed when that version has none. */
    static String pick(Map<String, String> byVersion, String version) {
        String exact = byVersion.get(version);
        if (exact != null) {
            return exact;
        }
        return byVersion.entrySet().stream().max(Map.Entry.comparingByKey(BaseImages::compareVersions))
                .map(Map.Entry::getValue).orElseThrow();
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length && x[i].matches("\\d+") ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length && y[i].matches("\\d+") ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }
}
