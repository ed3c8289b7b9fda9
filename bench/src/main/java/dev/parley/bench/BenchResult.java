package dev.parley.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one bench run measured. Serialised as JSON as is ({@code --format json}); times in
 * the latency records are milliseconds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BenchResult(
        String server,
        String mode,
        int clients,
        int channels,
        int senders,
        Double rate,
        Integer window,
        double durationSeconds,
        double warmupSeconds,
        int threads,
        int connectConcurrency,
        int payloadBytes,
        Setup setup,
        Load load,
        Correctness correctness,
        Map<String, Integer> disconnects,
        ProcessUse serverProcess,
        CrossCheck crossCheck,
        ProcessUse watchedProcesses,
        ProcessUse generatorProcess) {

    /** Connecting, registering and joining everybody. */
    record Setup(int ready, int failed, double seconds, double clientsPerSecond, Latency handshake,
                 Map<String, Integer> failures) {
    }

    /**
     * Traffic in the measured window (after warm-up). With several servers, {@code latencySameServer}
     * and {@code latencyAcrossServers} split {@code latency} by whether the receiver was connected
     * to its sender's server; their counts add up to its count.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Load(long messagesSent, long messagesSkipped, double messagesPerSecond, long deliveries,
                double measuredSeconds, double deliveriesPerSecond, Latency latency, Latency latencySameServer,
                Latency latencyAcrossServers, long windowTimeouts) {
    }

    /**
     * The delivery count checked against what the server wrote: its {@code wchar} (bytes passed to
     * write calls, from {@code /proc/PID/io}) in the measured window, divided by the average
     * delivered line the clients read, is how many deliveries the server's writes can hold.
     * {@code agreement} is that over the counted deliveries (1.0: they agree; above: the server
     * also wrote other things, such as PINGs, logs or TLS records; below: deliveries counted that
     * the server did not write, which would be a fault of the bench).
     */
    record CrossCheck(long serverBytesWritten, long deliveryBytes, double averageLineBytes,
                      long deliveriesByServerBytes, double agreement) {
    }

    /**
     * Every message a live sender sent, checked at every live receiver of its channel.
     * Pairs where either side disconnected are left out of {@code expected} and {@code missing}.
     */
    record Correctness(long expected, long received, long missing, long duplicated, long outOfOrder,
                       long pairsLeftOut) {
        boolean clean() {
            return missing == 0 && duplicated == 0 && outOfOrder == 0;
        }
    }

    /** Percentiles in milliseconds. */
    record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
        static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0, 0);
            }
            return new Latency(micros.getTotalCount(),
                    ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)),
                    ms(micros.getMaxValue()),
                    Math.round(micros.getMean()) / 1000.0);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * A process's CPU seconds in the measured window (idle mode: while held) and resident
     * memory; {@code rssPerClientBytes} is the growth since before the first connection,
     * divided by the clients that were ready. For several processes ({@code pids}) every figure
     * is their sum and {@code pid} is the first.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProcessUse(long pid, List<Long> pids, double cpuSeconds, Double deliveriesPerCpuSecond, long rssBytes,
                      long rssBaselineBytes, Double rssPerClientBytes) {
    }
}
