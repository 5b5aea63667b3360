package dev.lethe.sql;

/**
 * Target names appear in keys, metric labels and URLs, so they are kept to characters that are safe in all three
 * and cannot contain the key separator.
 */
public final class TargetName {

    private static final int MAX_LENGTH = 64;

    private TargetName() {
    }

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
