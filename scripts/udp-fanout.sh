#!/usr/bin/env bash
# UDP door fan-out: RECEIVERS UDP participants sit in #udp while one IRC client sends MESSAGES
# lines to it as fast as it can; prints datagrams delivered per second over all receivers, and
# how many were lost (UDP has no retransmission: a receiver whose socket buffer is full loses).
# Usage: scripts/udp-fanout.sh [RECEIVERS] [MESSAGES] [server options...]   (default: 20 20000)
# Every receiver joins from 127.0.0.1, so past 19 receivers give the door room for their
# hellos: scripts/udp-fanout.sh 200 5000 --udp-burst 1000 --udp-rate 1000
# PARLEY_JAR picks the server jar (default: app/target/parley.jar). Loopback only; bounded to 120 s.
set -euo pipefail
RECEIVERS="${1:-20}"; MESSAGES="${2:-20000}"; shift $(( $# < 2 ? $# : 2 ))
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${PARLEY_JAR:-$ROOT/app/target/parley.jar}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! "$JAVA" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then   # needs Java 21+
    for j in /usr/lib/jvm/*/bin/java; do
        "$j" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' && JAVA="$j" && break
    done
fi
WORK="$(mktemp -d)"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
cat > "$WORK/UdpFanout.java" <<'JAVA'
import java.io.*;
import java.net.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class UdpFanout {
    public static void main(String[] a) throws Exception {
        int tcpPort = Integer.parseInt(a[0]), udpPort = Integer.parseInt(a[1]);
        int receivers = Integer.parseInt(a[2]), messages = Integer.parseInt(a[3]);
        InetSocketAddress door = new InetSocketAddress("127.0.0.1", udpPort);
        Selector sel = Selector.open();
        List<DatagramChannel> chans = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(65536);
        for (int i = 0; i < receivers; i++) {
            DatagramChannel ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            ch.connect(door);
            ch.write(ByteBuffer.wrap(("hello u" + i).getBytes(StandardCharsets.UTF_8)));
            buf.clear();
            ch.receive(buf); // the join acknowledgement
            ch.configureBlocking(false);
            ch.register(sel, SelectionKey.OP_READ);
            chans.add(ch);
        }
        Socket irc = new Socket("127.0.0.1", tcpPort);
        BufferedReader r = new BufferedReader(new InputStreamReader(irc.getInputStream(), StandardCharsets.UTF_8));
        OutputStream o = new BufferedOutputStream(irc.getOutputStream(), 65536);
        o.write("NICK sender\r\nUSER s 0 * :s\r\nJOIN #udp\r\nPING :ready\r\n".getBytes(StandardCharsets.UTF_8));
        o.flush();
        String line;
        while ((line = r.readLine()) != null && !line.contains("PONG")) { }
        Thread drainTcp = Thread.ofPlatform().daemon(true).start(() -> {
            try { while (r.readLine() != null) { } } catch (IOException ignored) { }
        });
        long expected = (long) receivers * messages, got = 0;
        long t0 = System.nanoTime(), last = t0, deadline = t0 + 120_000_000_000L;
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                for (int m = 0; m < messages; m++) {
                    o.write(("PRIVMSG #udp :message number " + m + " with some text\r\n").getBytes(StandardCharsets.UTF_8));
                }
                o.flush();
            } catch (IOException e) { throw new UncheckedIOException(e); }
        });
        while (got < expected && System.nanoTime() < deadline) {
            if (sel.select(2000) == 0 && got > 0) break; // two quiet seconds: the rest is lost
            Iterator<SelectionKey> it = sel.selectedKeys().iterator();
            while (it.hasNext()) {
                DatagramChannel ch = (DatagramChannel) it.next().channel();
                it.remove();
                while (true) {
                    buf.clear();
                    if (ch.receive(buf) == null) break;
                    if (buf.position() > 8 && buf.get(0) == '<') { got++; last = System.nanoTime(); }
                }
            }
        }
        double secs = (last - t0) / 1e9;
        System.out.printf(Locale.ROOT, "delivered %d/%d datagrams (%d lost) in %.2f s = %.0f datagrams/s%n",
                got, expected, expected - got, secs, got / secs);
        irc.close();
        for (DatagramChannel ch : chans) ch.close();
    }
}
JAVA
PARLEY_LOG_LEVEL=WARN "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$JAR" server --host 127.0.0.1 --port 0 \
    --udp-port 0 --sendq 16000000 --data-dir "$WORK/data" --store memory --no-console "$@" < /dev/null > "$WORK/server.out" 2>&1 &
PID=$!
PORT=""; UDP=""
for _ in $(seq 1 150); do
    PORT="$(sed -n 's/^Parley .* listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/server.out")"
    UDP="$(sed -n 's/^UDP door on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$WORK/server.out")"
    [[ -n "$PORT" && -n "$UDP" ]] && break; sleep 0.2
done
[[ -n "$PORT" && -n "$UDP" ]] || { echo "server did not start:"; cat "$WORK/server.out"; exit 1; }
"$JAVA" "$WORK/UdpFanout.java" "$PORT" "$UDP" "$RECEIVERS" "$MESSAGES"
