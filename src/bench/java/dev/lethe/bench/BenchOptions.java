package dev.lethe.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.lethe.testsupport.process.PgBouncer;

/**
 * The benchmark's flags ({@code --name value}); every size is a flag and the defaults are the scenarios of the
 * performance issue.
 */
final class BenchOptions {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("scenarios", "burst,steady,poolers,drain,files,soak");
        DEFAULTS.put("burst-rows", "200000");
        DEFAULTS.put("burst-delete-threads", "4");
        DEFAULTS.put("steady-rate", "5000");
        DEFAULTS.put("steady-seconds", "60");
        DEFAULTS.put("steady-lead-seconds", "20");
        DEFAULTS.put("unrelated-keys", "1000000");
        // false: the steady scenario measures Lethe alone, without the naive peer and the database job
        DEFAULTS.put("steady-baselines", "true");
        DEFAULTS.put("pending-rows", "1000000");
        DEFAULTS.put("drain-due", "500000");
        DEFAULTS.put("drain-total", "1000000");
        DEFAULTS.put("writer-rate", "1000");
        DEFAULTS.put("writer-solo-seconds", "10");
        DEFAULTS.put("files-rows", "5000");
        DEFAULTS.put("soak-rate", "2000");
        DEFAULTS.put("soak-min-minutes", "10");
        DEFAULTS.put("soak-after-full-gc-minutes", "3");
        DEFAULTS.put("soak-max-minutes", "30");
        // As Dockerfile.jvm starts the service: a heap that may grow to 128 MiB but gives back what a full
        // collection frees, a young generation of its own size, the serial collector (what a JVM picks by itself in
        // a pod with less than 1,792 MiB) and the C1 compiler only.
        DEFAULTS.put("lethe-jvm", "-Xmx128m -Xms40m -Xmn24m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        DEFAULTS.put("lethe-config", "");
        // none: the service connects to PostgreSQL directly; session or transaction: through a PgBouncer of the
        // benchmark's own in that pool mode (lethe.database.pooler set to match). The peers always connect directly.
        DEFAULTS.put("pooler", "none");
        DEFAULTS.put("redis-hz", "10");
        DEFAULTS.put("out", "target/bench");
    }

    private final Map<String, String> values;

    private BenchOptions(Map<String, String> values) {
        this.values = values;
    }

    static BenchOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || !DEFAULTS.containsKey(arg.substring(2))) {
                throw new IllegalArgumentException("unknown flag " + arg + "; flags: " + DEFAULTS.keySet());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            values.put(arg.substring(2), args[++i]);
        }
        return new BenchOptions(values);
    }

    List<String> scenarios() {
        return Arrays.stream(values.get("scenarios").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    int integer(String name) {
        return Integer.parseInt(values.get(name).replace("_", ""));
    }

    Path out() {
        return Path.of(values.get("out"));
    }

    /** JVM options for the service under test, separated by spaces. */
    List<String> letheJvm() {
        return split(values.get("lethe-jvm"), " ");
    }

    /** Extra service configuration: key=value pairs separated by commas. */
    Map<String, String> letheConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        for (String pair : split(values.get("lethe-config"), ",")) {
            int equals = pair.indexOf('=');
            config.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return config;
    }

    /** The pool mode of the PgBouncer the service goes through, if any. */
    Optional<PgBouncer.Mode> pooler() {
        String pooler = values.get("pooler");
        return switch (pooler) {
            case "none" -> Optional.empty();
            case "session" -> Optional.of(PgBouncer.Mode.SESSION);
            case "transaction" -> Optional.of(PgBouncer.Mode.TRANSACTION);
            default -> throw new IllegalArgumentException("--pooler must be none, session or transaction, not "
                    + pooler);
        };
    }

    /** A PgBouncer of the benchmark's own in front of the local PostgreSQL, in that pool mode. */
    static PgBouncer launchPooler(PgBouncer.Mode mode) {
        return PgBouncer.launch(5432, mode, Map.of("max_client_conn", "200", "default_pool_size", "20"));
    }

    /** These options with the service connecting through {@code pooler}, lethe.database.pooler set to match. */
    BenchOptions through(PgBouncer pooler) {
        return withLetheConfig(Map.of("quarkus.datasource.reactive.url", pooler.url(BenchDatabase.NAME),
                "lethe.database.pooler", pooler.mode().name().toLowerCase(Locale.ROOT)));
    }

    /** These options with more service configuration, after what --lethe-config gives. */
    BenchOptions withLetheConfig(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(values);
        StringBuilder config = new StringBuilder(values.get("lethe-config"));
        more.forEach((key, value) -> config.append(config.length() == 0 ? "" : ",").append(key).append('=')
                .append(value));
        all.put("lethe-config", config.toString());
        return new BenchOptions(all);
    }

    Map<String, String> all() {
        return values;
    }

    private static List<String> split(String text, String separator) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split(separator)) {
            if (!part.isBlank()) {
                parts.add(part.trim());
            }
        }
        return parts;
    }
}
