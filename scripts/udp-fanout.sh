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
source "$ROOT/scripts/java-server.sh"
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
            ch.receive(buf); // the door's token: "! say: hello uN <token>"
            String said = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            String token = said.substring(said.lastIndexOf(' ') + 1);
            ch.write(ByteBuffer.wrap(("hello u" + i + " " + token).getBytes(StandardCharsets.UTF_8)));
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
start_server "$WORK" --udp-port 0 --store memory --no-console "$@"
"$JAVA" "$WORK/UdpFanout.java" "$PORT" "$UDP" "$RECEIVERS" "$MESSAGES"
