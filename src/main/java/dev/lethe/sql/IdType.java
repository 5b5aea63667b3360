package dev.lethe.sql;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;

/**
 * The type of a target's id column, as keys carry it. Parsing is strict so that a malformed id is rejected as
 * invalid input before it can reach the database as a type error.
 */
public enum IdType {

    UUID("uuid", "uuid[]", Set.of("uuid")) {
        @Override
        public Object parse(String text) {
            return parseUuid(text);
        }

        @Override
        public Object[] newArray(int size) {
            return new java.util.UUID[size];
        }

        @Override
        public Object read(Row row, int column) {
            return row.getUUID(column);
        }
    },

    BIGINT("bigint", "int8[]", Set.of("int2", "int4", "int8")) {
        @Override
        public Object parse(String text) {
            return parseLong(text);
        }

        @Override
        public Object[] newArray(int size) {
            return new Long[size];
        }

        @Override
        public Object read(Row row, int column) {
            return row.getLong(column);
        }
    },

    TEXT("text", "text[]", Set.of("text", "varchar")) {
        @Override
        public Object parse(String text) {
            // PostgreSQL text cannot hold NUL; anything else is a legitimate id.
            return text.isEmpty() || text.indexOf('\0') >= 0 ? null : text;
        }

        @Override
        public Object[] newArray(int size) {
            return new String[size];
        }

        @Override
        public Object read(Row row, int column) {
            return row.getString(column);
        }
    };

    private final String configName;
    private final String sqlArrayType;
    private final Set<String> columnTypes;

    IdType(String configName, String sqlArrayType, Set<String> columnTypes) {
        this.configName = configName;
        this.sqlArrayType = sqlArrayType;
        this.columnTypes = columnTypes;
    }

    /** The id as a bind value, or null when the text is not a canonical id of this type. */
    public abstract Object parse(String text);

    /** An array of this type's bind values, so that the driver encodes it as {@link #sqlArrayType()}. */
    public abstract Object[] newArray(int size);

    /** The id column of a result row, in the same representation {@link #parse} produces. */
    public abstract Object read(Row row, int column);

    public String configName() {
        return configName;
    }

    public String sqlArrayType() {
        return sqlArrayType;
    }

    /** Whether a column of this PostgreSQL type ({@code pg_type.typname}) can be matched against ids of this type. */
    public boolean matchesColumnType(String typname) {
        return columnTypes.contains(typname);
    }

    public static Optional<IdType> forColumnType(String typname) {
        for (IdType type : values()) {
            if (type.matchesColumnType(typname)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    static java.util.UUID parseUuid(String text) {
        if (text.length() != 36
                || text.charAt(8) != '-' || text.charAt(13) != '-' || text.charAt(18) != '-' || text.charAt(23) != '-') {
            return null;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                continue;
            }
            int nibble = hexDigit(text.charAt(i));
            if (nibble < 0) {
                return null;
            }
            if (digits < 16) {
                high = (high << 4) | nibble;
            } else {
                low = (low << 4) | nibble;
            }
            digits++;
        }
        return new java.util.UUID(high, low);
    }

    /**
     * An ASCII hex digit's value, -1 for anything else: Character.digit also reads full-width and Arabic-Indic digits,
     * and such a key would match the row of its ASCII twin.
     */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static Long parseLong(String text) {
        int length = text.length();
        int start = length > 0 && text.charAt(0) == '-' ? 1 : 0;
        if (length == start || length - start > 19) {
            return null;
        }
        // Only the canonical form: a key "007" or "+7" is a different key from "7" and deserves to be noticed.
        if (text.charAt(start) == '0' && length - start > 1) {
            return null;
        }
        for (int i = start; i < length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        if (start == 1 && length == 2 && text.charAt(1) == '0') {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException outOfRange) {
            return null;
        }
    }
}
