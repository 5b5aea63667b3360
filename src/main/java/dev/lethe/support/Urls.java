package dev.lethe.support;

/** Connection URLs as logs may show them. */
public final class Urls {

    private Urls() {
    }

    /** A connection URL without user information or query, where passwords hide. */
    public static String withoutSecrets(String url) {
        String redacted = url;
        int scheme = redacted.indexOf("://");
        int at = redacted.lastIndexOf('@');
        if (scheme >= 0 && at > scheme) {
            redacted = redacted.substring(0, scheme + 3) + redacted.substring(at + 1);
        }
        int query = redacted.indexOf('?');
        return query >= 0 ? redacted.substring(0, query) : redacted;
    }
}
