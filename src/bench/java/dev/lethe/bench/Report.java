package dev.lethe.bench;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One scenario's results: rows of (measure, value, target, verdict), printed as a table and written as JSON. */
final class Report {

    private record Line(String measure, String value, String target, String verdict) {
    }

    private final String scenario;
    private final String description;
    private final List<Line> lines = new ArrayList<>();
    private final JsonObject json = new JsonObject();

    Report(String scenario, String description) {
        this.scenario = scenario;
        this.description = description;
        json.put("scenario", scenario).put("description", description);
    }

    /** A figure without a target. */
    Report add(String key, String measure, Object value, String unit) {
        json.put(key, value);
        lines.add(new Line(measure, format(value) + (unit.isEmpty() ? "" : " " + unit), "", ""));
        return this;
    }

    /** A figure with a target it meets or misses. */
    Report check(String key, String measure, double value, String unit, String target, boolean met) {
        json.put(key, value);
        json.put(key + "_target", target);
        json.put(key + "_met", met);
        lines.add(new Line(measure, format(value) + (unit.isEmpty() ? "" : " " + unit), target, met ? "met" : "MISSED"));
        return this;
    }

    Report put(String key, Object value) {
        json.put(key, value);
        return this;
    }

    JsonObject json() {
        return json;
    }

    String table() {
        int[] widths = {7, 5, 6, 0};
        for (Line line : lines) {
            widths[0] = Math.max(widths[0], line.measure.length());
            widths[1] = Math.max(widths[1], line.value.length());
            widths[2] = Math.max(widths[2], line.target.length());
        }
        StringBuilder out = new StringBuilder();
        out.append("\n### ").append(scenario).append(": ").append(description).append("\n\n");
        out.append(row(widths, "Measure", "Value", "Target", "")).append('\n');
        out.append("| ").append("-".repeat(widths[0])).append(" | ").append("-".repeat(widths[1])).append(" | ")
                .append("-".repeat(widths[2])).append(" | ").append("------").append(" |\n");
        for (Line line : lines) {
            out.append(row(widths, line.measure, line.value, line.target, line.verdict)).append('\n');
        }
        return out.toString();
    }

    private static String row(int[] widths, String measure, String value, String target, String verdict) {
        return "| " + pad(measure, widths[0]) + " | " + pad(value, widths[1]) + " | " + pad(target, widths[2]) + " | "
                + pad(verdict, 6) + " |";
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            if (Double.isNaN(d)) {
                return "n/a";
            }
            double abs = Math.abs(d);
            return abs >= 1000 ? String.format("%,.0f", d) : abs >= 10 ? String.format("%.1f", d)
                    : String.format("%.3f", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format("%,d", ((Number) value).longValue());
        }
        if (value instanceof JsonArray || value instanceof JsonObject) {
            return value.toString();
        }
        return String.valueOf(value);
    }
}
