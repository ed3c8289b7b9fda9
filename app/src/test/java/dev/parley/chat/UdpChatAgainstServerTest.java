package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code parley chat --udp} against a real server's UDP door, with an IRC user in the room. */
class UdpChatAgainstServerTest {

    @Test
    void aUdpChatterAndAnIrcUserTalkInOneRoom() throws Exception {
        ServerConfig cfg = ServerConfig.builder().host("127.0.0.1").port(0).tlsPort(-1).engine(EngineKind.NIO).version("test")
                .serverName("irc.test").dataDir(Path.of("target", "test-data")).store(ServerConfig.StoreKind.MEMORY)
                .shutdownGrace(Duration.ofMillis(200)).udp(ServerConfig.Udp.OFF.withPort(0)).build();
        try (ParleyServer server = ParleyServer.start(cfg);
                Socket irc = new Socket("127.0.0.1", server.port())) {
            List<String> ircLines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(irc.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        ircLines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // closed at the end
                }
            }, "irc-reader");
            reader.setDaemon(true);
            reader.start();
            OutputStream ircOut = irc.getOutputStream();
            ircOut.write("NICK bob\r\nUSER bob 0 * :Bob\r\nJOIN #udp\r\n".getBytes(StandardCharsets.UTF_8));
            ircOut.flush();
            await().until(() -> ircLines.stream().anyMatch(l -> l.contains(" 366 bob #udp ")));

            PipedOutputStream keyboard = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(keyboard, 1 << 16);
            StringWriter shown = new StringWriter();
            CommandLine cl = new CommandLine(new ChatCommand(stdin, () -> false, name -> null));
            cl.setOut(new PrintWriter(shown, true));
            cl.setErr(new PrintWriter(shown, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
                    () -> cl.execute("--udp", "127.0.0.1:" + server.udpDoor().port(), "--nick", "alice"));

            await().until(() -> ircLines.stream().anyMatch(l -> l.startsWith(":alice!~udp@") && l.endsWith(" JOIN #udp")));
            assertThat(ircLines.stream().filter(l -> l.startsWith(":alice!")).toList())
                    .as("the UDP chatter's address is cloaked").noneMatch(l -> l.contains("127.0.0.1"));
            await().until(() -> shown.toString().contains("-- joined #udp as alice; here: @bob alice"));
            keyboard.write("hi bob, over UDP\n/me waves\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            await().until(() -> ircLines.stream().anyMatch(l -> l.endsWith("PRIVMSG #udp :hi bob, over UDP")));
            await().until(() -> ircLines.stream().anyMatch(l -> l.endsWith("PRIVMSG #udp :\u0001ACTION waves\u0001")));
            ircOut.write("PRIVMSG #udp :hi alice, over IRC\r\n".getBytes(StandardCharsets.UTF_8));
            ircOut.flush();
            await().until(() -> shown.toString().contains("<bob> hi alice, over IRC"));

            keyboard.close(); // end of input: the client says quit and waits for the bye
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            await().until(() -> ircLines.stream().anyMatch(l -> l.startsWith(":alice!~udp@") && l.contains(" QUIT")));
            assertThat(shown.toString()).contains("-- bye");
            assertThat(server.udpDoor().participantCount()).isZero();
        }
    }
}
