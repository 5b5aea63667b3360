package dev.lethe.sql;

import java.util.Map;

/**
 * The names of Lethe's own tables, in the schema {@code lethe} that db/lethe/*.sql create. Every statement on them
 * names them through {@link #sql}, so this is the one place that spells them.
 */
public final class LetheSchema {

    public static final String SCHEMA = "lethe";
    public static final String SCHEMA_VERSION = SCHEMA + ".schema_version";
    public static final String API_KEYS = SCHEMA + ".api_keys";
    public static final String TARGET_STATE = SCHEMA + ".target_state";
    public static final String OUTBOX = SCHEMA + ".outbox";
    public static final String INSTANCES = SCHEMA + ".instances";
    public static final String LEASES = SCHEMA + ".leases";

    private static final Map<String, String> NAMES = Map.of(
            "schema_version", SCHEMA_VERSION,
            "api_keys", API_KEYS,
            "target_state", TARGET_STATE,
            "outbox", OUTBOX,
            "instances", INSTANCES,
            "leases", LEASES);

    private LetheSchema() {
    }

    /** SQL on Lethe's own tables, written with {@code {outbox}}, {@code {target_state}} and the like. */
    public static String sql(String template) {
        return SqlTemplate.fill(template, NAMES);
    }
}
