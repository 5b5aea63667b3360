package dev.lethe.testsupport.client;

import java.util.HashMap;
import java.util.Map;

/** Reads the running application's /q/metrics, as Prometheus would. */
public final class Prometheus {

    private final Map<String, Double> series = new HashMap<>();

    private Prometheus(String text) {
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    public static Prometheus scrape() {
        return parse(Management.given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** Reads metrics text fetched some other way, such as from a service process. */
    public static Prometheus parse(String text) {
        return new Prometheus(text);
    }

    /**
     * The value of one series, 0 when absent.
     *
     * @param labels name, value, name, value... in the order Prometheus prints them (alphabetical)
     */
    public double value(String name, String... labels) {
        StringBuilder key = new StringBuilder(name);
        if (labels.length > 0) {
            key.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    key.append(',');
                }
                key.append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
            }
            key.append('}');
        }
        return series.getOrDefault(key.toString(), 0.0);
    }

    /** Every series, as Prometheus text names it ({@code name{label="value",...}}), and its value. */
    public Map<String, Double> series() {
        return Map.copyOf(series);
    }

    public boolean has(String name) {
        return series.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }
}
