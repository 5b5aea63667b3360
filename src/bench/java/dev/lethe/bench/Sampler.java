package dev.lethe.bench;

import java.util.function.DoubleSupplier;

/** Polls a value every few milliseconds on its own thread and keeps the largest seen. */
final class Sampler implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile double max;

    Sampler(long periodMillis, DoubleSupplier value) {
        thread = new Thread(() -> {
            while (running) {
                max = Math.max(max, value.getAsDouble());
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    double max() {
        return max;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
