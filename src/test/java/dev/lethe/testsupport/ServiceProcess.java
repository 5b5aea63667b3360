package dev.lethe.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The name the benchmark (src/bench) still imports.
 *
 * @deprecated use {@link dev.lethe.testsupport.process.ServiceProcess}; delete this once the benchmark has moved to
 *     it
 */
@Deprecated
public final class ServiceProcess implements AutoCloseable {

    private final dev.lethe.testsupport.process.ServiceProcess process;

    private ServiceProcess(dev.lethe.testsupport.process.ServiceProcess process) {
        this.process = process;
    }

    public static ServiceProcess start(List<String> jvmOptions, Map<String, String> properties) {
        return new ServiceProcess(dev.lethe.testsupport.process.ServiceProcess.start(jvmOptions, properties));
    }

    public ServiceProcess awaitStarted(Duration timeout) {
        process.awaitStarted(timeout);
        return this;
    }

    public long pid() {
        return process.pid();
    }

    public String metricsText() {
        return process.metricsText();
    }

    public String output() {
        return process.output();
    }

    public void terminate() {
        process.terminate();
    }

    public int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
