package dev.lethe.bench;

import java.util.Map;

/** A process deleting expired rows under measurement: Lethe, or the naive peer. */
interface Subject extends AutoCloseable {

    long pid();

    /** CPU time (user + system) the process has used so far, in seconds. */
    default double cpuSeconds() {
        return ProcessStats.cpuSeconds(pid());
    }

    /** The CPU seconds each live thread has used so far ({@link ProcessStats#threadCpuSeconds}). */
    default Map<String, Double> threadCpuSeconds() {
        return ProcessStats.threadCpuSeconds(pid());
    }

    /** Peak resident memory of the process so far (VmHWM), in MiB. */
    default double peakRssMib() {
        return ProcessStats.peakRssMib(pid());
    }

    @Override
    void close();
}
