package dev.lethe.support;

/** Connection URLs as logs may show them. */
public final class Urls {

    private Urls() {
    }

    /**
     * A connection URL without user information or query, where passwords hide. Everything up to the last '@' goes,
     * since a password written into a URL unescaped may hold '/', '?' and '@'; an '@' in the query
     * ({@code ?application_name=a@b}) so takes the host with it, which shows too little but never a secret.
     */
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
