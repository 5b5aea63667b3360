package dev.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ExpiringRows;
import dev.lethe.testsupport.fixture.Fleet;
import dev.lethe.testsupport.network.Certificates;
import dev.lethe.testsupport.process.LocalProcess;
import dev.lethe.testsupport.process.PostgresServer;
import dev.lethe.testsupport.process.RedisServer;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * PostgreSQL and Redis over TLS, with a certificate the test made, set up exactly as the README's Deploy section
 * says: sslmode=require encrypts without verifying (as libpq does), verify-full checks the certificate against the
 * CA and the host name, and Redis is reached with rediss:// through Quarkus' TLS registry.
 */
class TlsIT {

    private static final String PREFIX = "it-tls";

    private static Certificates certificates;
    private static PostgresServer postgres;
    private static RedisServer redis;
    private static int redisTlsPort;

    @BeforeAll
    static void startServers() {
        certificates = Certificates.forLocalhost();
        var pg = certificates.forPostgres();
        postgres = PostgresServer.launch("ssl=on", "ssl_cert_file=" + pg[0], "ssl_key_file=" + pg[1]);
        postgres.sql("postgres").execute("CREATE DATABASE chat");
        postgres.sql("chat").execute(ExpiringRows.SCHEMA);
        redisTlsPort = LocalProcess.sparePort();
        redis = RedisServer.launch("--tls-port", Integer.toString(redisTlsPort), "--tls-cert-file",
                certificates.certificate().toString(), "--tls-key-file", certificates.key().toString(),
                "--tls-ca-cert-file", certificates.ca().toString(), "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stopServers() {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void requireEncryptsWithoutVerifyingAndRedisTakesRediss() {
        Map<String, String> config = config("postgresql://127.0.0.1:" + postgres.port() + "/chat?sslmode=require");
        try (ServiceProcess service = ServiceProcess.start(config).awaitStarted(Duration.ofSeconds(60))) {
            assertDeletesAndEncrypts(service);
        }
    }

    @Test
    void verifyFullChecksTheCertificateAgainstTheCaAndTheHostName() {
        Map<String, String> config = config("postgresql://localhost:" + postgres.port() + "/chat?sslmode=verify-full");
        config.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
        config.put("quarkus.datasource.reactive.trust-certificate-pem.certs", certificates.ca().toString());
        try (ServiceProcess service = ServiceProcess.start(config).awaitStarted(Duration.ofSeconds(60))) {
            assertDeletesAndEncrypts(service);
        }
    }

    @Test
    void verifyFullWithoutTheCaIsRefusedInOneLine() {
        Map<String, String> config = config("postgresql://localhost:" + postgres.port() + "/chat?sslmode=verify-full");
        try (ServiceProcess service = ServiceProcess.start(config)) {
            assertThat(service.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(service.output()).contains("quarkus.datasource.reactive.trust-certificate-pem.certs")
                    .doesNotContain("\tat ");
        }
    }

    private static Map<String, String> config(String url) {
        Map<String, String> config = new HashMap<>(ExpiringRows.TARGETS);
        config.put("quarkus.datasource.reactive.url", url);
        config.put("quarkus.redis.hosts", "rediss://localhost:" + redisTlsPort);
        config.put("quarkus.redis.tls-configuration-name", "redis");
        config.put("quarkus.tls.redis.trust-store.pem.certs", certificates.ca().toString());
        config.put("lethe.key-prefix", PREFIX);
        config.put("lethe.database.startup-wait", "10s");
        return config;
    }

    private static void assertDeletesAndEncrypts(ServiceProcess service) {
        Fleet.awaitMillis(() -> service.status("/q/health/ready") == 200, Duration.ofSeconds(20), System.nanoTime());
        Sql sql = postgres.sql("chat");
        ExpiringRows rows = new ExpiringRows(sql, redis.uri(), PREFIX);
        List<UUID> ids = rows.messages(10, Duration.ofMillis(300), Duration.ofMillis(100));
        Fleet.awaitMillis(() -> rows.messagesLeft(ids) == 0, Duration.ofSeconds(10), System.nanoTime());
        assertThat(sql.count("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
                + " WHERE a.application_name = 'lethe' AND NOT s.ssl")).as("Lethe connections without TLS").isZero();
        assertThat(sql.count("SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)"
                + " WHERE a.application_name = 'lethe' AND s.ssl")).as("Lethe connections over TLS").isPositive();
    }
}
