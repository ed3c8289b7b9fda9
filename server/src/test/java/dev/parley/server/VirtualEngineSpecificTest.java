package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only the virtual-thread engine has to prove: an idle connection holds its reader and no
 * writer, and a writer started on demand still delivers everything, in order.
 */
class VirtualEngineSpecificTest {
    private static final Pattern NAME = Pattern.compile("\"name\": \"(parley-(?:read|write)-\\d+)\"");
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void idleConnectionsHoldNoWriterAndWritersComeBackForOutput() throws Exception {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        int n = 20;
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestClient c = fx.register(s, "idle" + i);
            c.send("JOIN #quiet");
            c.expect("366");
            clients.add(c);
        }
        // once the last output is written, each writer ends after its linger time
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> names = connectionThreads();
            assertThat(names.stream().filter(t -> t.startsWith("parley-write-"))).isEmpty();
            assertThat(names.stream().filter(t -> t.startsWith("parley-read-"))).hasSize(n);
        });

        TestClient speaker = clients.get(0);
        int lines = 300;
        for (int i = 0; i < lines; i++) {
            speaker.send("PRIVMSG #quiet :line " + i);
        }
        for (TestClient c : clients.subList(1, n)) {
            for (int i = 0; i < lines; i++) {
                IrcMessage m = c.expect("PRIVMSG");
                assertThat(m.last()).isEqualTo("line " + i);
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(connectionThreads().stream().filter(t -> t.startsWith("parley-write-"))).isEmpty());

        // and again after the writers ended: nothing is lost between one writer and the next
        speaker.send("PRIVMSG #quiet :after a pause");
        for (TestClient c : clients.subList(1, n)) {
            assertThat(c.expect("PRIVMSG").last()).isEqualTo("after a pause");
        }
    }

    @Test
    void aClosingClientStillGetsItsLastLineFromAWriterOnDemand() throws Exception {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        TestClient c = fx.register(s, "leaver");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(connectionThreads().stream().filter(t -> t.startsWith("parley-write-"))).isEmpty());
        c.send("QUIT :bye");
        IrcMessage error = c.expect("ERROR");
        assertThat(error.last()).contains("bye");
        c.expectClosed();
    }

    /** Names of this JVM's connection threads, virtual ones included (a JSON thread dump). */
    private static List<String> connectionThreads() throws Exception {
        Path dump = Files.createTempFile("threads", ".json");
        Files.delete(dump); // dumpThreads refuses to overwrite
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            Matcher m = NAME.matcher(Files.readString(dump));
            List<String> names = new ArrayList<>();
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
