package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux tells about a process's CPU and memory, read from /proc. */
final class ProcessStats {

    private static final double CLOCK_TICKS = 100.0;

    private ProcessStats() {
    }

    /** CPU time (user + system, all its threads) the process has used so far, in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Peak resident memory of the process so far (VmHWM), in MiB. */
    static double peakRssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            throw new IllegalStateException("VmHWM not found");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
