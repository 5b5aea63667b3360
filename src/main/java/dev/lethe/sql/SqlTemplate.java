package dev.lethe.sql;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code {holes}} of SQL written out whole, so that a statement reads as the database receives it. Only
 * quoted identifiers, Lethe's own names and trusted predicates from configuration go into holes; values always
 * travel as bind parameters ({@code $1}).
 */
public final class SqlTemplate {

    private static final Pattern HOLE = Pattern.compile("\\{([a-zA-Z_]+)}");

    private SqlTemplate() {
    }

    /** The template with every hole filled; a hole without a value is a bug, not an empty string. */
    public static String fill(String template, Map<String, String> values) {
        Matcher matcher = HOLE.matcher(template);
        StringBuilder sql = new StringBuilder(template.length() + 64);
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + matcher.group(1) + "} in " + template);
            }
            matcher.appendReplacement(sql, Matcher.quoteReplacement(value));
        }
        return matcher.appendTail(sql).toString();
    }
}
