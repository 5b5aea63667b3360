package dev.lethe.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a client sends comes back in answers and in the audit log only short and printable: a path parameter with a
 * line break cannot write a line of its own into the log.
 */
class UntrustedTextTest {

    @Test
    void lineBreaksAndControlCharactersAreEscaped() {
        String forged = "message\n2026-12-07 12:00:00,000 INFO  [dev.lethe.admin.AdminAudit] Admin sweep of all";
        assertThat(QueryParameters.shorten(forged)).doesNotContain("\n").startsWith("message\\x0a2026-12-07");
        assertThat(QueryParameters.shorten("a\rb\u001b[31mc")).isEqualTo("a\\x0db\\x1b[31mc");
    }

    @Test
    void longTextIsCut() {
        assertThat(QueryParameters.shorten("x".repeat(1_000))).hasSizeLessThan(100).endsWith("(1000 bytes)");
    }
}
