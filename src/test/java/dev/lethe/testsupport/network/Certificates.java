package dev.lethe.testsupport.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.lethe.testsupport.process.LocalProcess;

/**
 * A certificate authority of the test's own and a server certificate it signed for localhost and 127.0.0.1, made
 * with the openssl command, as PEM files in a temporary folder.
 */
public final class Certificates {

    private final Path folder;

    private Certificates(Path folder) {
        this.folder = folder;
    }

    public static Certificates forLocalhost() {
        try {
            Path folder = Files.createTempDirectory("lethe-tls-");
            Certificates certificates = new Certificates(folder);
            Files.writeString(folder.resolve("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
            certificates.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=Lethe test CA", "-keyout", "ca.key", "-out", "ca.pem");
            certificates.openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                    "-keyout", "server.key", "-out", "server.csr");
            certificates.openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-days", "2", "-extfile", "san.cnf", "-out", "server.pem");
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void openssl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        LocalProcess.run(List.of("sh", "-c", "cd '" + folder + "' && " + String.join(" ", command.stream()
                .map(arg -> "'" + arg + "'").toList())));
    }

    public Path ca() {
        return folder.resolve("ca.pem");
    }

    public Path certificate() {
        return folder.resolve("server.pem");
    }

    public Path key() {
        return folder.resolve("server.key");
    }

    /** Copies of the server's certificate and key that the postgres user owns, as PostgreSQL requires. */
    public Path[] forPostgres() {
        LocalProcess.run(List.of("sh", "-c", "cd '" + folder + "' && cp server.pem pg.pem && cp server.key pg.key"
                + " && chmod 600 pg.key && (id postgres >/dev/null 2>&1 && chown postgres pg.pem pg.key || true)"
                + " && chmod 755 ."));
        return new Path[] {folder.resolve("pg.pem"), folder.resolve("pg.key")};
    }
}
