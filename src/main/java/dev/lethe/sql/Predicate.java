package dev.lethe.sql;

/**
 * A condition from configuration ({@code guard}, {@code also-due-when}) that Lethe writes into its statements as
 * {@code (<text>)}. It can only be one operand there: {@link PredicateScanner} refuses, before anything connects, any
 * text that could close that parenthesis or end the statement (an unbalanced parenthesis, a {@code ;}, a comment, a
 * parameter, an unterminated literal), so that {@code true) OR (true} cannot turn a guard that narrows into one that
 * widens. What remains is a boolean expression PostgreSQL plans at startup; subqueries into other tables are allowed
 * and run with Lethe's role.
 *
 * @param text the condition, trimmed, as written
 */
public record Predicate(String text) {

    public Predicate {
        text = text.trim();
        PredicateScanner.check(text);
    }

    /** The condition as one operand: {@code (<text>)}. */
    public String sql() {
        return "(" + text + ")";
    }

    @Override
    public String toString() {
        return text;
    }
}
