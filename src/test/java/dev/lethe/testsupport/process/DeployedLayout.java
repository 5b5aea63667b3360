package dev.lethe.testsupport.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged service run the way one of its images runs it in the pod, without an image: the Dockerfile's WORKDIR,
 * COPY, ENV and ENTRYPOINT are read and played with bubblewrap over a read-only view of this machine (the image's
 * base stands in for the host's Java), as user 1001, with the configuration folder mounted read-only at
 * /work/config and an empty /tmp as the only writable place, as k8s/base/deployment.yaml mounts them.
 * <p>
 * A native executable cannot be built here, so a shell script in its place runs the jar with the arguments the
 * image passes: what is checked is the image's layout (where it works, where it reads its configuration, what it
 * may write), not the native code.
 */
public final class DeployedLayout extends LocalProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern INSTRUCTION = Pattern.compile("^(WORKDIR|COPY|ENV|ENTRYPOINT)\\s+(.*)$");
    private static final Path APP = Path.of("target", "quarkus-app").toAbsolutePath();

    private final Path dockerfile;
    private final Path config;
    private final int managementPort;

    /**
     * @param dockerfile the image's Dockerfile, such as src/main/docker/Dockerfile.jvm
     * @param config the folder mounted at /work/config; its application.properties must set
     *        quarkus.management.port to {@code managementPort}
     */
    public DeployedLayout(Path dockerfile, Path config, int managementPort) {
        super("layout");
        this.dockerfile = dockerfile;
        this.config = config;
        this.managementPort = managementPort;
    }

    public static boolean canRun() {
        return onPath("bwrap") && onPath("setpriv") && "root".equals(System.getProperty("user.name"));
    }

    @Override
    protected List<String> command() {
        try {
            Path tmp = Files.createDirectories(directory.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            // A process namespace of its own: when bwrap ends, its init there ends, and the kernel ends every process
            // in it. --die-with-parent with setpriv's --pdeathsig left the JVM running after the test (orphaned to
            // init, still retrying its database).
            List<String> command = new ArrayList<>(List.of("bwrap", "--die-with-parent", "--unshare-pid"));
            command.addAll(hostRoot());
            command.addAll(List.of("--dev", "/dev", "--proc", "/proc", "--bind", tmp.toString(), "/tmp",
                    "--perms", "0755", "--dir", "/srv", "--ro-bind", APP.toString(), "/srv/quarkus-app",
                    "--perms", "0755", "--dir", "/work"));
            String workdir = "/";
            List<String> entrypoint = List.of();
            Map<String, String> environment = new LinkedHashMap<>();
            for (String line : Files.readAllLines(dockerfile)) {
                Matcher instruction = INSTRUCTION.matcher(line.trim());
                if (!instruction.matches()) {
                    continue;
                }
                String argument = instruction.group(2).trim();
                switch (instruction.group(1)) {
                    case "WORKDIR" -> workdir = argument;
                    case "ENV" -> environment.put(argument.substring(0, argument.indexOf('=')),
                            unquote(argument.substring(argument.indexOf('=') + 1)));
                    case "ENTRYPOINT" -> entrypoint = new ObjectMapper().readValue(argument,
                            new TypeReference<List<String>>() { });
                    default -> {
                        String[] words = argument.replaceAll("--\\S+\\s+", "").split("\\s+");
                        // Folders bwrap makes for a mount point are private to root unless made first.
                        for (Path parent = Path.of(words[1]).getParent(); parent != null && parent.getNameCount() > 0;
                                parent = parent.getParent()) {
                            command.addAll(List.of("--perms", "0755", "--dir", parent.toString()));
                        }
                        command.addAll(copy(words[0], words[1]));
                    }
                }
            }
            command.addAll(List.of("--ro-bind", config.toAbsolutePath().toString(), "/work/config",
                    "--remount-ro", "/", "--chdir", workdir));
            environment.forEach((name, value) -> command.addAll(List.of("--setenv", name, value)));
            command.addAll(List.of("setpriv", "--reuid", "1001", "--regid", "1001", "--clear-groups"));
            command.addAll(entrypoint);
            return command;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This machine's system folders, read-only, in a root of bwrap's own: the image's folders (/work, and /deployments
     * or whatever a Dockerfile names) are made in it empty, whatever this machine has there, and the root is made
     * read-only once everything is mounted.
     */
    private static List<String> hostRoot() throws IOException {
        List<String> mounts = new ArrayList<>();
        try (var entries = Files.list(Path.of("/"))) {
            for (Path entry : entries.sorted().toList()) {
                String name = entry.toString();
                if (List.of("/proc", "/dev", "/tmp", "/work", "/srv").contains(name)) {
                    continue;
                }
                if (Files.isSymbolicLink(entry)) {
                    mounts.addAll(List.of("--symlink", Files.readSymbolicLink(entry).toString(), name));
                } else if (Files.isDirectory(entry)) {
                    mounts.addAll(List.of("--ro-bind", name, name));
                }
            }
        }
        return mounts;
    }

    /**
     * A COPY as mounts: a path of the build output, each file a pattern matches into the destination folder, or for
     * the native executable, which cannot be built here, a script that runs the jar.
     */
    private List<String> copy(String source, String destination) throws IOException {
        if (source.endsWith("*-runner")) {
            return List.of("--ro-bind", runner().toString(), destination);
        }
        if (!source.contains("*")) {
            return List.of("--ro-bind", Path.of(source).toAbsolutePath().toString(), destination);
        }
        Path folder = Path.of(source).getParent();
        List<String> mounts = new ArrayList<>();
        try (var files = Files.newDirectoryStream(folder, Path.of(source).getFileName().toString())) {
            for (Path file : files) {
                mounts.addAll(List.of("--ro-bind", file.toAbsolutePath().toString(),
                        destination + (destination.endsWith("/") ? "" : "/") + file.getFileName()));
            }
        }
        return mounts;
    }

    private Path runner() throws IOException {
        Path runner = directory.resolve("application");
        Files.writeString(runner, "#!/bin/sh\nexec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -Xmx128m \"$@\" -jar /srv/quarkus-app/quarkus-run.jar\n");
        Files.setPosixFilePermissions(runner, PosixFilePermissions.fromString("rwxr-xr-x"));
        return runner;
    }

    private static String unquote(String value) {
        return value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    @Override
    protected boolean answers() {
        return status("/q/health/ready") == 200;
    }

    @Override
    protected Duration startupTime() {
        return Duration.ofSeconds(60);
    }

    /** The status of a GET on the management port, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The real user id the service's process runs as, from /proc. */
    public String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(javaPid()), "status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[1];
                }
            }
            throw new IllegalStateException("no Uid line");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JVM under bwrap, below bwrap's init in its process namespace. */
    private long javaPid() {
        return ProcessHandle.of(pid()).orElseThrow().descendants()
                .filter(process -> process.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow().pid();
    }
}
