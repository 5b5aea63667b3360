package dev.lethe.sql;

/**
 * The one place where names from configuration become SQL: always quoted, so that Prisma-style mixed-case names
 * such as {@code "SessionKey"."expiresAt"} keep their case and no name can close the quotes early.
 */
public final class SqlIdentifier {

    private SqlIdentifier() {
    }

    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new IllegalArgumentException("an identifier cannot be empty");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an identifier cannot contain NUL");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
