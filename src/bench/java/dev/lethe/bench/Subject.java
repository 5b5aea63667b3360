package dev.lethe.bench;

/** A process deleting expired rows under measurement: Lethe, or the naive peer. */
interface Subject extends AutoCloseable {

    /** CPU time (user + system) the process has used so far, in seconds. */
    double cpuSeconds();

    /** Peak resident memory of the process so far, in MiB. */
    double peakRssMib();

    @Override
    void close();
}
