package dev.backendteam.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the specialists' engines themselves took, from each specialist's {@code backend.team.task.duration} timer
 * on {@code /q/metrics} (Prometheus text): the difference of {@code _sum} and {@code _count} between two scrapes is
 * the mean engine time of the tasks in between. It tells the engines' share of a step from the messaging's.
 */
final class EngineTimes {
    /** service and kind, e.g. {@code ops}/{@code work}. */
    record Key(String service, String kind) {
    }

    record Totals(double seconds, double count) {
        Totals plus(Totals o) {
            return new Totals(seconds + o.seconds, count + o.count);
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "^backend_team_task_duration_seconds_(sum|count)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private EngineTimes() {
    }

    /** Totals per service and kind in one Prometheus text exposition (statuses added up). */
    static Map<Key, Totals> parse(String metrics) {
        Map<Key, double[]> raw = new HashMap<>();
        for (String line : metrics.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            if (!labels.containsKey("service") || !labels.containsKey("kind")) {
                continue;
            }
            double[] t = raw.computeIfAbsent(new Key(labels.get("service"), labels.get("kind")), k -> new double[2]);
            t[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
        }
        Map<Key, Totals> out = new HashMap<>();
        raw.forEach((k, t) -> out.put(k, new Totals(t[0], t[1])));
        return out;
    }

    /** Mean engine milliseconds per key between two snapshots; keys with no new task are left out. */
    static Map<Key, Double> meanMillis(Map<Key, Totals> before, Map<Key, Totals> after) {
        Map<Key, Double> out = new HashMap<>();
        after.forEach((k, a) -> {
            Totals b = before.getOrDefault(k, new Totals(0, 0));
            double n = a.count() - b.count();
            if (n > 0) {
                out.put(k, (a.seconds() - b.seconds()) / n * 1000.0);
            }
        });
        return out;
    }

    /** All specialists' totals; a specialist that does not answer is left out (the column then says n/a). */
    static Map<Key, Totals> scrape(Iterable<String> serviceUrls) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(3)).build();
        Map<Key, Totals> all = new HashMap<>();
        for (String url : serviceUrls) {
            fetch(http, url + "/q/metrics").map(EngineTimes::parse)
                    .ifPresent(m -> m.forEach((k, t) -> all.merge(k, t, Totals::plus)));
        }
        return all;
    }

    private static Optional<String> fetch(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            System.err.println("bench: no metrics from " + url + " (" + e + "); engine times n/a");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
