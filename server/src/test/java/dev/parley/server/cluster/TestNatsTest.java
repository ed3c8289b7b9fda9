package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The NATS test harness itself: a three-server cluster keeps an R3 stream and an R3 key-value
 * bucket working when one server is killed, a client with all URLs carries on through the
 * survivors, a restarted server comes back with its store, and {@code close()} leaves no
 * server running and no files behind.
 */
class TestNatsTest {
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void aThreeServerClusterKeepsStreamsAndKeyValuesThroughTheLossOfAServer() throws Exception {
        TestNats.assumeAvailable();
        TestNats nats = TestNats.start(3);
        Path dir = nats.dir();
        try {
            assertThat(nats.urls().split(",")).containsExactly(nats.urlArray());
            assertThat(serversIn(dir)).hasSize(3);

            try (Connection admin = Nats.connect(options(nats.urlArray()))) {
                JetStreamManagement jsm = admin.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name("EVENTS").subjects("events.>")
                        .storageType(StorageType.File).replicas(3).build());
                admin.keyValueManagement().create(KeyValueConfiguration.builder().name("nicks")
                        .maxHistoryPerKey(1).replicas(3).storageType(StorageType.File).build());
            }

            // the client starts on the server that leads the stream, and that server dies
            int victim;
            try (Connection probe = Nats.connect(options(nats.urlArray()))) {
                String leader = probe.jetStreamManagement().getStreamInfo("EVENTS").getClusterInfo().getLeader();
                victim = IntStream.range(0, 3).filter(i -> nats.serverName(i).equals(leader)).findFirst().orElseThrow();
            }
            List<String> victimFirst = new ArrayList<>(List.of(nats.url(victim)));
            IntStream.range(0, 3).filter(i -> i != victim).forEach(i -> victimFirst.add(nats.url(i)));
            try (Connection nc = Nats.connect(options(victimFirst.toArray(String[]::new)))) {
                assertThat(nc.getConnectedUrl()).isEqualTo(nats.url(victim));
                JetStream js = nc.jetStream();
                KeyValue kv = nc.keyValue("nicks");
                assertThat(publish(js, "events.join", "alice joined").getSeqno()).isEqualTo(1);
                kv.put("alice", "session-1");

                nats.kill(victim);
                assertThat(nats.isRunning(victim)).isFalse();
                assertThat(serversIn(dir)).hasSize(2);

                // a new stream leader is elected; the message id makes a retried publish count once
                await().atMost(FAILOVER).ignoreExceptions()
                        .until(() -> publish(js, "events.part", "alice left").getSeqno() == 2);
                await().atMost(FAILOVER).ignoreExceptions().until(() -> kv.put("bob", "session-2") > 0);

                assertThat(nc.getConnectedUrl()).isNotEqualTo(nats.url(victim)).isIn(victimFirst);
                JetStreamManagement jsm = nc.jetStreamManagement();
                assertThat(jsm.getStreamInfo("EVENTS").getStreamState().getMsgCount()).isEqualTo(2);
                assertThat(text(jsm.getMessage("EVENTS", 1).getData())).isEqualTo("alice joined");
                assertThat(text(jsm.getMessage("EVENTS", 2).getData())).isEqualTo("alice left");
                assertThat(kv.get("alice").getValueAsString()).isEqualTo("session-1");
                assertThat(kv.get("bob").getValueAsString()).isEqualTo("session-2");

                // create is compare-and-set: a key that exists is not overwritten
                assertThatThrownBy(() -> kv.create("alice", "session-3".getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOf(JetStreamApiException.class)
                        .hasMessageContaining("wrong last sequence");
                assertThat(kv.get("alice").getValueAsString()).isEqualTo("session-1");
            }

            // the killed server comes back on its port with its store, and catches up
            nats.restart(victim);
            assertThat(nats.isRunning(victim)).isTrue();
            try (Connection back = Nats.connect(options(nats.url(victim)))) {
                assertThat(back.getConnectedUrl()).isEqualTo(nats.url(victim));
                KeyValue kv = back.keyValue("nicks");
                await().atMost(FAILOVER).ignoreExceptions()
                        .until(() -> "session-2".equals(kv.get("bob").getValueAsString()));
                assertThat(back.jetStreamManagement().getStreamInfo("EVENTS").getStreamState().getMsgCount())
                        .isEqualTo(2);
            }
        } finally {
            nats.close();
        }
        assertThat(serversIn(dir)).isEmpty();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aSingleServerKeepsItsStreamAcrossARestart() throws Exception {
        TestNats.assumeAvailable();
        Path dir;
        try (TestNats nats = TestNats.start(1)) {
            dir = nats.dir();
            assertThat(nats.urls()).isEqualTo(nats.url(0)).startsWith("nats://127.0.0.1:");
            try (Connection nc = Nats.connect(options(nats.url(0)))) {
                nc.jetStreamManagement().addStream(StreamConfiguration.builder().name("LOG").subjects("log")
                        .storageType(StorageType.File).build());
                nc.jetStream().publish("log", "kept".getBytes(StandardCharsets.UTF_8));
            }
            nats.restart(0);
            try (Connection nc = Nats.connect(options(nats.url(0)))) {
                assertThat(text(nc.jetStreamManagement().getMessage("LOG", 1).getData())).isEqualTo("kept");
            }
            assertThat(serversIn(dir)).hasSize(1);
        }
        assertThat(serversIn(dir)).isEmpty();
        assertThat(dir).doesNotExist();
    }

    @Test
    void withoutTheBinaryATestIsSkippedUnlessNatsIsRequired() {
        Optional<Path> none = Optional.empty();
        assertThatThrownBy(() -> TestNats.assumeAvailable(false, none))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("nats-server");
        assertThatThrownBy(() -> TestNats.assumeAvailable(true, none))
                .isInstanceOf(AssertionError.class).hasMessageContaining("PARLEY_REQUIRE_NATS=1");
        Optional<Path> some = Optional.of(Path.of("/usr/sbin/nats-server"));
        assertThatCode(() -> TestNats.assumeAvailable(true, some)).doesNotThrowAnyException();
        assertThatCode(() -> TestNats.assumeAvailable(false, some)).doesNotThrowAnyException();
    }

    /** A client that tries the servers in order and reconnects through the others. */
    private static Options options(String... urls) {
        return Options.builder().servers(urls).noRandomize()
                .connectionTimeout(Duration.ofSeconds(2))
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(100))
                .errorListener(new ErrorListener() { })
                .build();
    }

    private static PublishAck publish(JetStream js, String subject, String text) throws Exception {
        return js.publish(subject, text.getBytes(StandardCharsets.UTF_8),
                PublishOptions.builder().messageId(subject).build());
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The nats-server processes this JVM started that run from {@code dir}. */
    private static List<ProcessHandle> serversIn(Path dir) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(dir.toString()))
                .toList();
    }
}
