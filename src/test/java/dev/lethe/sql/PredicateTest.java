package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A guard is written into every delete as one parenthesised operand of an AND, so it can only narrow what is
 * deleted. These are the ways a text could break out of its parentheses or end the statement, each refused with a
 * sentence that says why; and the texts that only look like it, which stay allowed.
 */
class PredicateTest {

    /** Texts that could widen a delete, or make the statement mean something else, and what each refusal says. */
    static final List<List<String>> HOSTILE = List.of(
            List.of("true) OR (true", "closes a parenthesis it did not open"),
            List.of("NOT \"legalHold\") OR (\"expiresAt\" IS NULL", "closes a parenthesis it did not open"),
            List.of("true)) OR ((true", "closes a parenthesis it did not open"),
            List.of(")(", "closes a parenthesis it did not open"),
            List.of("(true", "leaves 1 parenthesis(es) open"),
            List.of("true; DELETE FROM \"Message\"", "holds a ';'"),
            List.of("true -- and the rest", "holds a comment (--)"),
            List.of("true /* ) OR (true */", "holds a comment (/*)"),
            List.of("x = 'unterminated", "leaves a string literal open"),
            List.of("x = 'it''s) OR (true", "leaves a string literal open"),
            List.of("\"legalHold", "leaves a quoted identifier open"),
            List.of("x = $q$ open", "leaves a dollar-quoted literal $q$ open"),
            List.of("x = '\\') OR (true --'", "holds a backslash in a string literal"),
            List.of("x = E'\\') OR (true", "leaves a string literal open"),
            List.of("id = ANY($1)", "holds a parameter"),
            List.of("x = $ OR true", "holds a '$'"),
            List.of("tr\u0000ue", "holds a control character"),
            // PostgreSQL reads x\u00d7$a$ as one name; a scanner that took $a$ for a quote would let ") OR true OR (" by.
            List.of("(SELECT true FROM pg_class x\u00d7$a$ LIMIT 1)) OR true OR ((SELECT true FROM pg_class x\u00d7$a$"
                    + " LIMIT 1)", "holds a non-ASCII character outside quotes"),
            List.of("x\u00d7E'\\') OR (true --'", "holds a non-ASCII character outside quotes"),
            List.of("\"body\" = \u00e9t\u00e9", "holds a non-ASCII character outside quotes"),
            List.of("   ", "is empty"),
            List.of("x".repeat(PredicateScanner.MAX_LENGTH + 1), "is longer than"));

    /** Texts with parentheses, quotes and dashes inside literals and names: one operand each, and allowed. */
    static final List<String> HARMLESS = List.of(
            "NOT \"legalHold\"",
            "\"body\" <> ') OR (true'",
            "\"body\" <> 'it''s -- not a comment; nor /* this */'",
            "\"body\" <> E'\\') OR (true'",
            "\"body\" <> $q$) OR (true; --$q$",
            "\"body\" <> $$)$$",
            "\"odd)\"\"name\" IS NULL OR true",
            "\"expiresAt\" < now() - interval '1 day' OR true",
            "NOT EXISTS (SELECT 1 FROM \"LegalHold\" h WHERE h.\"messageId\" = \"Message\".\"id\")",
            "(true) OR (true)",
            "a$b IS NULL",
            "\"body\" <> 'caf\u00e9 \u00d7 \u20ac) OR (true'",
            "\"body\" <> $\u20ac$) OR (true$\u20ac$");

    @Test
    void textThatCouldReachOutsideItsParenthesesIsRefusedWithItsReason() {
        for (List<String> hostile : HOSTILE) {
            assertThatThrownBy(() -> new Predicate(hostile.get(0)))
                    .as(hostile.get(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(hostile.get(1));
        }
    }

    @Test
    void parenthesesQuotesAndDashesInsideLiteralsAndNamesAreAllowed() {
        for (String harmless : HARMLESS) {
            assertThat(new Predicate(harmless).sql()).as(harmless).isEqualTo("(" + harmless.trim() + ")");
        }
    }
}
