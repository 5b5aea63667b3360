package dev.lethe.support;

import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Logs at most one line per interval, and says how many it held back, so that a flood of bad input or a flapping
 * connection costs one line every few seconds instead of one per event.
 */
public final class RateLimitedLog {

    private final Logger logger;
    private final Logger.Level level;
    private final long intervalNanos;
    private long lastNanos;
    private boolean logged;
    private long suppressed;

    public RateLimitedLog(Logger logger, Logger.Level level, Duration interval) {
        this.logger = logger;
        this.level = level;
        this.intervalNanos = interval.toNanos();
    }

    public void log(String format, Object... args) {
        long held;
        synchronized (this) {
            long now = System.nanoTime();
            if (logged && now - lastNanos < intervalNanos) {
                suppressed++;
                return;
            }
            held = suppressed;
            suppressed = 0;
            lastNanos = now;
            logged = true;
        }
        String message = String.format(format, args);
        logger.log(level, held == 0 ? message : message + " (" + held + " similar lines held back)");
    }

    /** The same for text, as its UTF-8 bytes. */
    public static String printable(String text, int max) {
        return printable(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), max);
    }

    /**
     * Makes untrusted text safe and short for a log line: at most {@code max} characters, control and non-ASCII
     * characters escaped.
     */
    public static String printable(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder(Math.min(bytes.length, max) + 16);
        for (int i = 0; i < bytes.length && out.length() < max; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (out.length() >= max && bytes.length > max) {
            out.append("...(").append(bytes.length).append(" bytes)");
        }
        return out.toString();
    }
}
