package dev.parley.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything one bench run is configured with, validated on construction.
 *
 * @param servers            the IRC servers to measure, one or more: client {@code i} connects to
 *                           {@link #serverOf(int) serverOf(i)}
 * @param mode               flood, rate or idle
 * @param clients            connections to open and register
 * @param channels           channels; client {@code i} joins channel {@code i % channels}
 * @param senders            clients 0..senders-1 send; the rest only receive
 * @param rate               open-loop messages per second in total (rate mode)
 * @param window             messages in flight per sender (flood mode)
 * @param duration           measured time (idle mode: time the clients are held)
 * @param warmup             sending time before measuring starts (idle mode: settle time)
 * @param drain              after sending stops, how long to wait for messages still on the way
 * @param connectConcurrency connection handshakes (connect, register, join) in flight at once
 * @param sourceAddresses    local addresses to spread clients over; empty lets the system choose
 * @param threads            event-loop threads
 * @param payloadBytes       filler bytes added to every message
 * @param nickPrefix         nicks are this prefix plus the client number
 * @param channelPrefix      channels are this prefix plus the channel number
 * @param setupTimeout       time allowed to connect, register and join everybody
 * @param inflightTimeout    flood mode: a message not delivered to everybody by then frees its slot
 * @param serverPids         processes to read CPU and memory of (summed), empty for none
 * @param watchPids          other processes to read CPU and memory of (summed, reported apart), e.g. NATS servers
 * @param tls                connect over TLS
 * @param websocket          speak IRC over WebSocket (IRCv3 WebSocket transport) instead of straight over the socket
 * @param websocketPath      the WebSocket's HTTP path
 */
record BenchConfig(
        List<InetSocketAddress> servers,
        Mode mode,
        int clients,
        int channels,
        int senders,
        double rate,
        int window,
        Duration duration,
        Duration warmup,
        Duration drain,
        int connectConcurrency,
        List<InetAddress> sourceAddresses,
        int threads,
        int payloadBytes,
        String nickPrefix,
        String channelPrefix,
        Duration setupTimeout,
        Duration inflightTimeout,
        List<Long> serverPids,
        List<Long> watchPids,
        boolean tls,
        boolean websocket,
        String websocketPath) {

    BenchConfig {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to connect to");
        }
        serverPids = List.copyOf(serverPids);
        watchPids = List.copyOf(watchPids);
        Objects.requireNonNull(mode, "mode");
        sourceAddresses = List.copyOf(sourceAddresses);
        range("--clients", clients, 1, FloodWindow.MAX_RECEIVERS);
        range("--channels", channels, 1, clients);
        if (mode != Mode.IDLE) {
            range("--senders", senders, 1, clients);
            if (clients - senders < 0 || clients < 2) {
                throw new IllegalArgumentException("--clients must be at least 2 to have someone to send to");
            }
        }
        if (mode == Mode.RATE && !(rate > 0 && rate <= 10_000_000)) {
            throw new IllegalArgumentException("--rate must be between 1 and 10000000 messages per second");
        }
        range("--window", window, 1, 65_536);
        positive("--duration", duration);
        notNegative("--warmup", warmup);
        notNegative("--drain", drain);
        positive("--setup-timeout", setupTimeout);
        positive("--inflight-timeout", inflightTimeout);
        range("--connect-concurrency", connectConcurrency, 1, 100_000);
        range("--threads", threads, 1, 64);
        range("--payload", payloadBytes, 0, 400);
        if (!nickPrefix.matches("[A-Za-z\\[\\]\\\\`_^{|}][A-Za-z0-9\\[\\]\\\\`_^{|}-]{0,15}")) {
            throw new IllegalArgumentException("--nick-prefix must start a valid nick (a letter first): " + nickPrefix);
        }
        if (!channelPrefix.matches("[#&][^\\s,:\\x07]{0,40}")) {
            throw new IllegalArgumentException("--channel-prefix must start with # or & and hold no space, comma or colon");
        }
        if (websocket && tls) {
            throw new IllegalArgumentException("--websocket and --tls cannot be combined (no WebSocket over TLS here)");
        }
        if (websocketPath == null || !websocketPath.matches("/[\\x21-\\x7e]*")) {
            throw new IllegalArgumentException("--websocket-path must start with / and hold no spaces: " + websocketPath);
        }
        if (serverPids.stream().anyMatch(p -> p <= 0)) {
            throw new IllegalArgumentException("--server-pid must be process ids");
        }
        if (watchPids.stream().anyMatch(p -> p <= 0)) {
            throw new IllegalArgumentException("--watch-pid must be process ids");
        }
    }

    /** How the report names the servers: host:port, or the WebSocket's URL, comma-separated. */
    String target() {
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress server : servers) {
            String hostPort = server.getHostString() + ":" + server.getPort();
            sb.append(sb.isEmpty() ? "" : ",").append(websocket ? "ws://" + hostPort + websocketPath : hostPort);
        }
        return sb.toString();
    }

    /**
     * The server client {@code i} connects to: round robin over each channel's members, every
     * channel starting on the next server. So each channel has members on every server (as far
     * as its members go), its senders and receivers alike, and the clients are spread evenly.
     */
    int serverOf(int client) {
        return (channelOf(client) + client / channels) % servers.size();
    }

    /** More than one server: deliveries are told apart by whether sender and receiver share one. */
    boolean spread() {
        return servers.size() > 1;
    }

    String nick(int client) {
        return nickPrefix + client;
    }

    int channelOf(int client) {
        return client % channels;
    }

    String channel(int channel) {
        return channelPrefix + channel;
    }

    int sendersActive() {
        return mode == Mode.IDLE ? 0 : senders;
    }

    private static void range(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", not " + v);
        }
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }

    private static void notNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
    }
}
