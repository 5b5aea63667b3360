package dev.lethe.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table name as configuration gives it: {@code Message}, {@code chat.Message}, or with quoted parts such as
 * {@code "chat"."My.Table"} when a name itself contains a dot. Unquoted parts keep their case, as Prisma expects.
 */
public record QualifiedName(Optional<String> schema, String name) {

    public QualifiedName {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a table name cannot be empty");
        }
    }

    /** A table the catalog resolved: its schema and its name as the catalog spells them. */
    public static QualifiedName of(String schema, String name) {
        return new QualifiedName(Optional.of(schema), name);
    }

    /** The name as SQL, every part quoted. */
    public String sql() {
        return schema.map(s -> new Identifier(s).sql() + ".").orElse("") + new Identifier(name).sql();
    }

    /** The name as people read it, for logs, labels and messages: {@code public.Message}. */
    public String display() {
        return schema.map(s -> s + ".").orElse("") + name;
    }

    @Override
    public String toString() {
        return sql();
    }

    public static QualifiedName parse(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        String trimmed = text.trim();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < trimmed.length() && trimmed.charAt(i + 1) == '"') {
                        part.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                if (part.length() > 0) {
                    throw new IllegalArgumentException("a quote may only open a name part: " + text);
                }
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(finish(part, wasQuoted, text));
                part.setLength(0);
                wasQuoted = false;
            } else {
                if (wasQuoted) {
                    throw new IllegalArgumentException("text after a closing quote: " + text);
                }
                part.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unclosed quote: " + text);
        }
        parts.add(finish(part, wasQuoted, text));
        if (parts.size() > 2) {
            throw new IllegalArgumentException("expected table or schema.table: " + text);
        }
        return parts.size() == 1
                ? new QualifiedName(Optional.empty(), parts.get(0))
                : new QualifiedName(Optional.of(parts.get(0)), parts.get(1));
    }

    private static String finish(StringBuilder part, boolean wasQuoted, String text) {
        String value = wasQuoted ? part.toString() : part.toString().trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty name part: " + text);
        }
        return value;
    }
}
