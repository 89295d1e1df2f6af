package dev.backendteam.ops.monitor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The monitor's diagnostics as data: monitor/catalogue.yaml and the SQL files of monitor/sql/. */
public record MonitorCatalogue(List<Diagnostic> diagnostics) {
    private static final String BASE = "/dev/backendteam/ops/monitor/";

    public MonitorCatalogue {
        diagnostics = List.copyOf(diagnostics);
    }

    /** The catalogue shipped with the service; read once, at start-up, so a broken one fails fast. */
    public static MonitorCatalogue bundled() {
        try (InputStream in = MonitorCatalogue.class.getResourceAsStream(BASE + "catalogue.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource monitor/catalogue.yaml");
            }
            MonitorCatalogue c = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, MonitorCatalogue.class);
            for (Diagnostic d : c.diagnostics()) {
                if (d.sql() != null) {
                    sql(d.sql());
                }
                if (d.skipped() != null) {
                    sql(d.skipped());
                }
                d.owner();
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every threshold's default by setting name (a setting two diagnostics share has one default). */
    public Map<String, Double> defaults() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Diagnostic d : diagnostics) {
            d.thresholds().forEach((name, value) -> {
                Double before = out.putIfAbsent(name, value);
                if (before != null && !before.equals(value)) {
                    throw new IllegalStateException("threshold " + name + " has two defaults: " + before + ", " + value);
                }
            });
        }
        return out;
    }

    public Diagnostic get(String id) {
        return diagnostics.stream().filter(d -> d.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no diagnostic " + id));
    }

    static String sql(String file) {
        try (InputStream in = MonitorCatalogue.class.getResourceAsStream(BASE + "sql/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource monitor/sql/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
