#!/usr/bin/env bash
# Fan-out throughput: CLIENTS clients join one channel, the first SENDERS of them each send
# MESSAGES lines as fast as they can; prints lines delivered per second over all receivers.
# Usage: scripts/fanout.sh [CLIENTS] [SENDERS] [MESSAGES] [server options...]   (default: 40 4 20000)
# PARLEY_JAR picks the server jar (default: app/target/parley.jar); Java 21+ from JAVA_HOME or
# /usr/lib/jvm. Loopback only; each run is bounded to 120 s.
set -euo pipefail
CLIENTS="${1:-40}"; SENDERS="${2:-4}"; MESSAGES="${3:-20000}"; shift $(( $# < 3 ? $# : 3 ))
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/scripts/java-server.sh"
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cat > "$WORK/Fanout.java" <<'JAVA'
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;

public class Fanout {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]), clients = Integer.parseInt(a[1]);
        int senders = Integer.parseInt(a[2]), perSender = Integer.parseInt(a[3]);
        List<Socket> socks = new ArrayList<>();
        List<BufferedReader> readers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            socks.add(s);
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8), 65536);
            readers.add(r);
            s.getOutputStream().write(("NICK f" + i + "\r\nUSER f 0 * :f\r\nJOIN #fanout\r\nPING :ready\r\n").getBytes(StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null && !line.contains("PONG")) { }
        }
        long expected = (long) senders * perSender * (clients - 1);
        AtomicLong got = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        for (int i = 0; i < clients; i++) {
            BufferedReader r = readers.get(i);
            long mine = (long) senders * perSender - (i < senders ? perSender : 0);
            Thread.ofPlatform().daemon(true).start(() -> {
                long n = 0;
                try {
                    String line;
                    while (n < mine && (line = r.readLine()) != null) {
                        if (line.contains(" PRIVMSG #fanout ")) { n++; got.incrementAndGet(); }
                    }
                } catch (IOException ignored) { }
                done.countDown();
            });
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < senders; i++) {
            OutputStream o = new BufferedOutputStream(socks.get(i).getOutputStream(), 65536);
            Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    for (int m = 0; m < perSender; m++) {
                        o.write(("PRIVMSG #fanout :message number " + m + " with some text\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    o.flush();
                } catch (IOException e) { throw new UncheckedIOException(e); }
            });
        }
        boolean ok = done.await(120, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s %d/%d lines in %.2f s = %.0f lines/s%n",
                ok ? "delivered" : "TIMED OUT:", got.get(), expected, secs, got.get() / secs);
        for (Socket s : socks) s.close();
    }
}
JAVA
start_server "$WORK" "$@"
"$JAVA" "$WORK/Fanout.java" "$PORT" "$CLIENTS" "$SENDERS" "$MESSAGES"
