package dev.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny IRC relay for tests that breaks its promises on purpose: to the second member of the
 * channel it drops message 3 of sender 0, sends message 5 twice, and sends message 7 after
 * message 8. Everyone else gets every message once, in order.
 */
final class FaultyRelay implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private static final class Member {
        final String nick;
        final OutputStream out;
        String held;

        Member(String nick, OutputStream out) {
            this.nick = nick;
            this.out = out;
        }

        synchronized void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    FaultyRelay() throws IOException {
        Thread.ofPlatform().daemon().name("faulty-relay-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket s = listener.accept();
                sockets.add(s);
                Thread.ofPlatform().daemon().name("faulty-relay-client").start(() -> serve(s));
            }
        } catch (IOException closed) {
            // listener closed: done
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String nick = "*";
            Member me = null;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.split(" ", 3);
                switch (w[0]) {
                    case "NICK" -> nick = w[1];
                    case "USER" -> {
                        me = new Member(nick, s.getOutputStream());
                        me.send(":relay 001 " + nick + " :Welcome");
                    }
                    case "JOIN" -> {
                        members.add(me);
                        me.send(":relay 366 " + nick + " " + w[1] + " :End of /NAMES list.");
                    }
                    case "PRIVMSG" -> relay(me, w[1], w[2].substring(1));
                    default -> {
                        // nothing else is needed by the bench
                    }
                }
            }
        } catch (IOException gone) {
            // client left
        }
    }

    private void relay(Member from, String target, String text) throws IOException {
        String line = ":" + from.nick + "!u@127.0.0.1 PRIVMSG " + target + " :" + text;
        String[] f = text.split(" ");
        boolean fromFirstSender = f.length > 2 && f[1].equals("0");
        long seq = fromFirstSender ? Long.parseLong(f[2]) : -1;
        // the faults hit one receiver: the first member that is not the sender (join order varies)
        Member victim = null;
        for (Member m : members) {
            if (m != from) {
                victim = m;
                break;
            }
        }
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (m == from) {
                continue;
            }
            if (m != victim || seq < 0) {
                m.send(line);
            } else if (seq == 3) {
                continue; // lost
            } else if (seq == 5) {
                m.send(line);
                m.send(line); // duplicated
            } else if (seq == 7) {
                m.held = line; // reordered: goes out after 8
            } else if (seq == 8) {
                m.send(line);
                m.send(m.held);
            } else {
                m.send(line);
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
