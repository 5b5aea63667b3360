package dev.lethe.bench;

import java.util.ArrayList;
import java.util.List;

import dev.lethe.testsupport.process.LocalProcess;

/** {@link NaivePeer} started as a process of its own, with the same heap limit as Lethe. */
final class PeerUnderTest extends LocalProcess implements Subject {

    private final List<String> jvm;
    private final String redisUri;

    private PeerUnderTest(List<String> jvm, String redisUri) {
        super("naive-peer");
        this.jvm = jvm;
        this.redisUri = redisUri;
    }

    static PeerUnderTest start(BenchOptions options, String redisUri) {
        PeerUnderTest peer = new PeerUnderTest(options.letheJvm(), redisUri);
        peer.start();
        return peer;
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NaivePeer.class.getName(),
                BenchDatabase.NAME, redisUri, BenchDatabase.TABLE, "lethe:message:"));
        return command;
    }

    /** The peer prints "ready" once it is subscribed. */
    @Override
    protected boolean answers() {
        return readLog().contains("ready");
    }

    @Override
    public double cpuSeconds() {
        return ProcessStats.cpuSeconds(pid());
    }

    @Override
    public double peakRssMib() {
        return ProcessStats.peakRssMib(pid());
    }
}
