package dev.lethe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link NaivePeer} started as a process of its own, with the same heap limit as Lethe. */
final class PeerUnderTest implements Subject {

    private final Process process;

    private PeerUnderTest(Process process) {
        this.process = process;
    }

    static PeerUnderTest start(BenchOptions options, String redisUri) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command()
                .orElse("java")));
        command.addAll(options.letheJvm());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NaivePeer.class.getName(),
                BenchDatabase.NAME, redisUri, BenchDatabase.TABLE, "lethe:message:"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = output.readLine()) != null;) {
            if (line.equals("ready")) {
                // Keep reading its output, so that a full pipe never stalls it.
                Thread drain = new Thread(() -> output.lines().forEach(ignored -> { }));
                drain.setDaemon(true);
                drain.start();
                return new PeerUnderTest(process);
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the naive peer did not start:\n" + seen);
    }

    @Override
    public double cpuSeconds() {
        return ProcessStats.cpuSeconds(process.pid());
    }

    @Override
    public double peakRssMib() {
        return ProcessStats.peakRssMib(process.pid());
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
