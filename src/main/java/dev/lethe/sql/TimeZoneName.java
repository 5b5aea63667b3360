package dev.lethe.sql;

import java.util.regex.Pattern;

/**
 * The name of the time zone in which a {@code timestamp without time zone} expiry column is written (Prisma writes
 * UTC). It becomes part of the statements' text ({@code now() AT TIME ZONE 'UTC'}), so only characters a zone name
 * has get this far; whether PostgreSQL knows the zone is checked against the database at startup.
 */
public record TimeZoneName(String name) {

    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9_+\\-/]{1,64}");

    public TimeZoneName {
        if (name == null || !ZONE.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a time zone name, such as UTC or Europe/Berlin");
        }
    }

    /** The database's now() in this zone, as a timestamp without time zone. */
    public String now() {
        return "(now() AT TIME ZONE '" + name + "')";
    }

    @Override
    public String toString() {
        return name;
    }
}
