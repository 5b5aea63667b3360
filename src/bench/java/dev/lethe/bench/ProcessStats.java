package dev.lethe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What Linux tells about a process's CPU and memory, read from /proc. */
final class ProcessStats {

    private static final double CLOCK_TICKS = 100.0;

    private ProcessStats() {
    }

    /** CPU time (user + system, all its threads) the process has used so far, in seconds. */
    static double cpuSeconds(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) / CLOCK_TICKS;
    }

    /** The CPU seconds each live thread of the process has used so far, by thread id; its name is in the key. */
    static Map<String, Double> threadCpuSeconds(long pid) {
        Map<String, Double> threads = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    threads.put(task.getFileName() + " " + name, ticks(task.resolve("stat")) / CLOCK_TICKS);
                } catch (IOException | UncheckedIOException ended) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return threads;
    }

    /**
     * The CPU the process used between two {@link #threadCpuSeconds} readings, by kind of thread: the JIT compilers
     * and the garbage collector count as much as the application's own threads. Threads that ended in between are
     * not counted.
     */
    static Map<String, Double> cpuByKind(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> kinds = new LinkedHashMap<>();
        for (String kind : new String[] {"event loops", "JIT compilers", "garbage collector", "other"}) {
            kinds.put(kind, 0.0);
        }
        after.forEach((thread, seconds) -> kinds.merge(kind(thread.substring(thread.indexOf(' ') + 1)),
                seconds - before.getOrDefault(thread, 0.0), Double::sum));
        return kinds;
    }

    private static String kind(String threadName) {
        if (threadName.startsWith("vert.x-eventloo")) {
            return "event loops";
        }
        if (threadName.contains("CompilerThre")) {
            return "JIT compilers";
        }
        if (threadName.startsWith("GC ") || threadName.startsWith("G1 ")) {
            return "garbage collector";
        }
        return "other";
    }

    private static long ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU time (user + system) every PostgreSQL process of this machine has used so far, in seconds: the server's
     * work for whoever drives it, backends and background processes alike (processes that ended are not counted).
     */
    static double serverCpuSeconds() {
        double seconds = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(process.resolve("comm")).trim().startsWith("postgres")) {
                        seconds += ticks(process.resolve("stat")) / CLOCK_TICKS;
                    }
                } catch (IOException | UncheckedIOException ended) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return seconds;
    }

    /** Peak resident memory of the process so far (VmHWM), in MiB. */
    static double peakRssMib(long pid) {
        return statusMib(pid, "VmHWM:");
    }

    /** Resident memory of the process now (VmRSS), in MiB. */
    static double rssMib(long pid) {
        return statusMib(pid, "VmRSS:");
    }

    private static double statusMib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            throw new IllegalStateException(field + " not found");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
