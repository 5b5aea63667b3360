package dev.lethe.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import org.eclipse.microprofile.config.Config;

import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.TargetName;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * The rules that relate settings to each other, in one place. Those among {@code lethe.*} settings run when the
 * configuration is read, with the ranges declared on {@link LetheConfig}, so that every bad value is reported
 * together; those that relate Lethe's settings to Quarkus' ({@code quarkus.datasource.*}, {@code quarkus.redis.*},
 * {@code quarkus.s3.*}) run first thing at startup, before any connection is opened. Each problem is one line that
 * names the property to fix.
 */
public final class ConfigRules {

    /** Target names that start with this belong to the targets Lethe brings itself. */
    public static final String RESERVED_TARGET_PREFIX = "lethe-";

    private ConfigRules() {
    }

    /** The cross-field rules of {@code lethe.*}, checked with the ranges when the configuration is read. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Validator.class)
    public @interface Consistent {
        String message() default "inconsistent settings";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Reports each problem as its own violation: Quarkus prints "lethe " and then the problem. */
    public static final class Validator implements ConstraintValidator<Consistent, LetheConfig> {
        @Override
        public boolean isValid(LetheConfig config, ConstraintValidatorContext context) {
            List<String> problems = problems(config);
            if (problems.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            // The messages are not templates: braces in a table name must come out as they are.
            problems.forEach(problem -> context.buildConstraintViolationWithTemplate(
                    problem.replace("\\", "\\\\").replace("{", "\\{").replace("$", "\\$")).addConstraintViolation());
            return false;
        }
    }

    /** The problems among {@code lethe.*} settings; each reads after the word "lethe". */
    static List<String> problems(LetheConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.targets().isEmpty()) {
            problems.add("needs at least one target: name the table whose rows expire, for example"
                    + " lethe.targets.message.table=Message");
        }
        for (Map.Entry<String, LetheConfig.TargetConfig> entry : config.targets().entrySet()) {
            target(entry.getKey(), entry.getValue(), config.blobs().bucket().isPresent(), problems);
        }
        if (config.batch().queueCapacity() < config.batch().size()) {
            problems.add("needs lethe.batch.queue-capacity (" + config.batch().queueCapacity()
                    + ") to hold at least one batch of lethe.batch.size (" + config.batch().size() + ")");
        }
        if (config.redis().reconnectMaxBackoff().compareTo(config.redis().reconnectMinBackoff()) < 0) {
            problems.add("needs lethe.redis.reconnect-max-backoff (" + config.redis().reconnectMaxBackoff()
                    + ") to be at least lethe.redis.reconnect-min-backoff (" + config.redis().reconnectMinBackoff()
                    + ")");
        }
        if (config.outbox().retryMaxBackoff().compareTo(config.outbox().retryMinBackoff()) < 0) {
            problems.add("needs lethe.outbox.retry-max-backoff (" + config.outbox().retryMaxBackoff()
                    + ") to be at least lethe.outbox.retry-min-backoff (" + config.outbox().retryMinBackoff() + ")");
        }
        Duration lookahead = config.sweep().lookahead();
        if (!lookahead.isZero() && lookahead.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("needs lethe.sweep.lookahead (" + lookahead + ") to be 0s (off) or at least 1s: it is read"
                    + " five times per window");
        }
        if (config.maxKeyLength() <= config.keyPrefix().length() + 2) {
            problems.add("needs lethe.max-key-length (" + config.maxKeyLength() + ") to be longer than the key prefix '"
                    + config.keyPrefix() + "' and a target");
        }
        MemoryBudget.of(config).problem(Runtime.getRuntime().maxMemory()).ifPresent(problems::add);
        return problems;
    }

    private static void target(String name, LetheConfig.TargetConfig target, boolean bucket, List<String> problems) {
        String property = "lethe.targets." + name;
        if (!TargetName.isValid(name)) {
            problems.add("cannot use the target name '" + name + "' (" + property + ".*): a target name has letters,"
                    + " digits, '_' and '-', at most 64");
        } else if (name.startsWith(RESERVED_TARGET_PREFIX)) {
            problems.add("keeps target names starting with '" + RESERVED_TARGET_PREFIX + "' for its own targets:"
                    + " rename " + property);
        }
        tableName(property + ".table", target.table(), problems);
        LetheConfig.TargetFiles blobs = target.blobs();
        if (blobs.table().isPresent()) {
            tableName(property + ".blobs.table", blobs.table().get(), problems);
            if (blobs.parentColumn().isEmpty() || blobs.keyColumn().isEmpty()) {
                problems.add("needs " + property + ".blobs.parent-column and " + property + ".blobs.key-column with "
                        + property + ".blobs.table");
            }
        } else if (blobs.parentColumn().isPresent() || blobs.keyColumn().isPresent()) {
            problems.add("needs " + property + ".blobs.table with " + property + ".blobs.parent-column and "
                    + property + ".blobs.key-column");
        }
        boolean hasFiles = target.blobKeyColumn().isPresent() || blobs.table().isPresent();
        if (hasFiles && !bucket) {
            problems.add("needs lethe.blobs.bucket, the bucket that holds the files " + property
                    + (target.blobKeyColumn().isPresent() ? ".blob-key-column" : ".blobs.table") + " names");
        }
        if (target.sweep().cron().isPresent() && target.sweep().every().isPresent()) {
            problems.add("needs one of " + property + ".sweep.cron and " + property + ".sweep.every, not both");
        }
    }

    private static void tableName(String property, String text, List<String> problems) {
        try {
            QualifiedName.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("cannot read " + property + "=" + text + " as a table name: " + e.getMessage());
        }
    }

    /**
     * The rules between Lethe's settings and Quarkus' own: refuses the start, listing every problem, before anything
     * connects.
     */
    public static void checkAgainst(LetheConfig config, Config quarkus) {
        List<String> problems = new ArrayList<>();
        Optional<String> url = quarkus.getOptionalValue("quarkus.datasource.reactive.url", String.class);
        if (url.isEmpty()) {
            problems.add("quarkus.datasource.reactive.url is not set: name the database, such as"
                    + " postgresql://db.example.com:5432/chat");
        } else if (!url.get().startsWith("postgresql://") && !url.get().startsWith("postgres://")) {
            problems.add("quarkus.datasource.reactive.url must start with postgresql:// (Lethe's client is not"
                    + " JDBC), such as postgresql://db.example.com:5432/chat?sslmode=require");
        }
        if (config.demo().enabled() && url.isPresent()
                && !urlDatabase(url.get()).equals(Optional.of(config.demo().database()))) {
            problems.add("lethe.demo.enabled=true writes demo rows, so it runs only on the database"
                    + " lethe.demo.database=" + config.demo().database() + ", and quarkus.datasource.reactive.url"
                    + " names another: point the URL at it, or turn the demo off");
        }
        Optional<String> hosts = quarkus.getOptionalValue("quarkus.redis.hosts", String.class);
        boolean cluster = quarkus.getOptionalValue("quarkus.redis.client-type", String.class)
                .filter("cluster"::equalsIgnoreCase).isPresent();
        Optional<Integer> selected = hosts.flatMap(ConfigRules::redisDatabase);
        Optional<Integer> configured = config.redis().database();
        if (cluster && (configured.orElse(0) != 0 || selected.orElse(0) != 0)) {
            problems.add("lethe.redis.database and quarkus.redis.hosts must select database 0: a Redis Cluster has"
                    + " only database 0");
        } else if (configured.isPresent() && selected.isPresent() && !configured.equals(selected)) {
            problems.add("lethe.redis.database=" + configured.get() + " differs from the database " + selected.get()
                    + " that quarkus.redis.hosts selects: expiries of that database would go unheard. Drop"
                    + " lethe.redis.database, or make the two agree");
        }
        for (String secret : SECRETS) {
            if (quarkus.getOptionalValue(secret, String.class).filter(ConfigRules::isExampleValue).isPresent()) {
                problems.add(secret + " still holds an example value (change-me...): set the real secret, for"
                        + " example in the Secret lethe-credentials (docs/deploy.md)");
            }
        }
        Optional<Duration> callTimeout = quarkus.getOptionalValue("quarkus.s3.api-call-timeout", Duration.class);
        if (config.blobs().bucket().isPresent() && callTimeout.isPresent()
                && callTimeout.get().compareTo(config.outbox().lease()) >= 0) {
            problems.add("lethe.outbox.lease=" + config.outbox().lease() + " must be longer than"
                    + " quarkus.s3.api-call-timeout=" + callTimeout.get() + ", or two instances may delete one key");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Configuration validation failed:\n\t" + String.join("\n\t", problems));
        }
    }

    /** The settings that hold secrets, or may hold one in a URL. */
    static final List<String> SECRETS = List.of("lethe.admin.bootstrap-key", "quarkus.datasource.password",
            "quarkus.datasource.reactive.url", "quarkus.redis.password", "quarkus.redis.hosts",
            "quarkus.s3.aws.credentials.static-provider.access-key-id",
            "quarkus.s3.aws.credentials.static-provider.secret-access-key");

    /** A value copied from an example without replacing it: change-me, or a URL with change-me as its password. */
    static boolean isExampleValue(String value) {
        return value.toLowerCase(java.util.Locale.ROOT).contains("change-me");
    }

    /** The database a postgresql:// URL names: the path after its host, without the parameters. */
    static Optional<String> urlDatabase(String url) {
        int authority = url.indexOf("://");
        int slash = url.indexOf('/', authority < 0 ? 0 : authority + 3);
        if (slash < 0) {
            return Optional.empty();
        }
        int query = url.indexOf('?', slash);
        String name = url.substring(slash + 1, query < 0 ? url.length() : query);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** The database a Redis URI selects with its path (redis://host:6379/2), if it selects one. */
    public static Optional<Integer> redisDatabase(String hosts) {
        String first = hosts.split(",")[0].trim();
        try {
            String path = URI.create(first).getPath();
            if (path == null || path.length() <= 1) {
                return Optional.empty();
            }
            return Optional.of(Integer.parseInt(path.substring(1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
