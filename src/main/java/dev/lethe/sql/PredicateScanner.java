package dev.lethe.sql;

/**
 * Reads a condition the way PostgreSQL's lexer would, far enough to tell where its literals, quoted identifiers and
 * parentheses begin and end, and refuses whatever could reach outside the parenthesis Lethe wraps it in. Each refusal
 * is a sentence that reads after "the condition".
 */
final class PredicateScanner {

    /** Longer conditions are refused: a guard is a line, not a program. */
    static final int MAX_LENGTH = 2_000;

    private final String text;
    private int at;
    private int depth;

    private PredicateScanner(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming what is wrong, when the text could be more than one operand */
    static void check(String text) {
        new PredicateScanner(text).scan();
    }

    private void scan() {
        if (text.isEmpty()) {
            throw refused("is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw refused("is longer than " + MAX_LENGTH + " characters");
        }
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c < ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw refused("holds a control character at position " + (at + 1));
            }
            if (c >= 0x80) {
                // PostgreSQL reads any non-ASCII character outside quotes as part of a name, where Java's letter
                // classes would not: a scanner that disagreed with it there could take a name for a quote.
                throw refused("holds a non-ASCII character outside quotes, at position " + (at + 1)
                        + ": write such a name in double quotes");
            }
            switch (c) {
                case '\'' -> stringLiteral();
                case '"' -> quotedIdentifier();
                case '$' -> dollar();
                case '(' -> {
                    depth++;
                    at++;
                }
                case ')' -> {
                    if (--depth < 0) {
                        throw refused("closes a parenthesis it did not open, at position " + (at + 1));
                    }
                    at++;
                }
                case ';' -> throw refused("holds a ';': it must be one condition, not statements");
                case '-' -> {
                    if (next() == '-') {
                        throw refused("holds a comment (--): write the condition without one");
                    }
                    at++;
                }
                case '/' -> {
                    if (next() == '*') {
                        throw refused("holds a comment (/*): write the condition without one");
                    }
                    at++;
                }
                default -> at++;
            }
        }
        if (depth > 0) {
            throw refused("leaves " + depth + " parenthesis(es) open");
        }
    }

    /**
     * {@code '...'} with {@code ''} for a quote, or {@code E'...'} with backslash escapes too. A backslash in a plain
     * literal means different things under {@code standard_conforming_strings} on and off: ambiguous, so refused.
     */
    private void stringLiteral() {
        boolean escapes = at > 0 && (text.charAt(at - 1) == 'E' || text.charAt(at - 1) == 'e')
                && (at < 2 || !isIdentifierPart(text.charAt(at - 2)));
        quoted('\'', escapes ? Backslash.ESCAPES : Backslash.REFUSED, "a string literal");
    }

    private void quotedIdentifier() {
        quoted('"', Backslash.PLAIN, "a quoted identifier");
    }

    /** What a backslash is inside quotes. */
    private enum Backslash {
        /** An ordinary character. */
        PLAIN,
        /** It escapes the next character (E'...'). */
        ESCAPES,
        /** Ambiguous: refused. */
        REFUSED
    }

    /** Skips a quoted run from its opening quote to its closing one; a doubled quote is one quote inside it. */
    private void quoted(char quote, Backslash backslash, String what) {
        int start = at++;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\\' && backslash == Backslash.REFUSED) {
                throw refused("holds a backslash in a string literal, which PostgreSQL reads one way or another"
                        + " depending on standard_conforming_strings: write E'...' for escapes");
            }
            if (c == '\\' && backslash == Backslash.ESCAPES) {
                at += 2;
            } else if (c == quote && next() == quote) {
                at += 2;
            } else if (c == quote) {
                at++;
                return;
            } else {
                at++;
            }
        }
        throw refused("leaves " + what + " open, from position " + (start + 1));
    }

    /** Part of an identifier ({@code a$b}), a parameter ({@code $1}: refused), or a dollar-quoted literal. */
    private void dollar() {
        if (at > 0 && isIdentifierPart(text.charAt(at - 1))) {
            at++;
            return;
        }
        if (isAsciiDigit(next())) {
            throw refused("holds a parameter ($" + next() + "...): Lethe's statements bind their own parameters");
        }
        int end = at + 1;
        while (end < text.length() && text.charAt(end) != '$' && isTagPart(text.charAt(end), end == at + 1)) {
            end++;
        }
        if (end >= text.length() || text.charAt(end) != '$') {
            throw refused("holds a '$' that is neither part of a name nor a dollar-quoted literal, at position "
                    + (at + 1));
        }
        String tag = text.substring(at, end + 1);
        int close = text.indexOf(tag, end + 1);
        if (close < 0) {
            throw refused("leaves a dollar-quoted literal " + tag + " open, from position " + (at + 1));
        }
        at = close + tag.length();
    }

    private char next() {
        return at + 1 < text.length() ? text.charAt(at + 1) : '\0';
    }

    /** As PostgreSQL's lexer (scan.l, ident_cont): ASCII letters and digits, _, $, and every non-ASCII character. */
    private static boolean isIdentifierPart(char c) {
        return isAsciiLetter(c) || isAsciiDigit(c) || c == '_' || c == '$' || c >= 0x80;
    }

    /** As scan.l's dolq_start and dolq_cont: a digit may not open a tag. */
    private static boolean isTagPart(char c, boolean first) {
        return isAsciiLetter(c) || c == '_' || c >= 0x80 || !first && isAsciiDigit(c);
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException(why);
    }
}
