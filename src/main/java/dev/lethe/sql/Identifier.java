package dev.lethe.sql;

/**
 * A column or table name from configuration, quoted here and nowhere else: Prisma-style mixed-case names such as
 * {@code "SessionKey"."expiresAt"} keep their case, and no name can close its quotes early.
 *
 * @param name the name as the catalog spells it, unquoted
 */
public record Identifier(String name) {

    public Identifier {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an identifier cannot be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain NUL");
        }
    }

    /** The name as SQL: always quoted, quotes inside doubled. */
    public String sql() {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return sql();
    }
}
