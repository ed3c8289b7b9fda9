package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pause releases the port while connected clients carry on; resume listens on the same port again. */
class PauseResumeTest {
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void pausedServerRefusesNewcomersButKeepsItsClientsChattingThenResumesOnTheSamePort(EngineKind engine)
            throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(engine).build());
        int port = s.port();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #p");
        alice.expect("366");
        bob.send("JOIN #p");
        bob.expect("366");

        assertThat(s.pause()).isTrue();
        assertThat(s.isPaused()).isTrue();
        assertThat(s.engine().isListening()).isFalse();
        assertThat(s.pause()).as("pausing twice changes nothing").isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);

        bob.send("PRIVMSG #p :still here while paused");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("still here while paused");

        assertThat(s.resume()).isTrue();
        assertThat(s.isPaused()).isFalse();
        assertThat(s.port()).isEqualTo(port);
        TestClient carol = fx.register(s, "carol");
        carol.send("JOIN #p");
        carol.expect("366");
        carol.send("PRIVMSG #p :hello after resume");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("hello after resume");
        assertThat(s.resume()).as("resuming a running server changes nothing").isFalse();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void pauseAndResumeCoverTheTlsListenerToo(EngineKind engine) throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(engine).tlsPort(0).build());
        int plain = s.port();
        int tls = s.tlsPort();
        TestClient alice = TestClient.connectTls(tls);
        alice.send("NICK alice");
        alice.send("USER alice 0 * :a");
        alice.expect("001");
        assertThat(s.pause()).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", tls).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket("127.0.0.1", plain).close()).isInstanceOf(ConnectException.class);
        alice.send("PING :paused");
        alice.expect("PONG");
        assertThat(s.resume()).isTrue();
        assertThat(s.tlsPort()).isEqualTo(tls);
        try (TestClient bob = TestClient.connectTls(tls)) {
            bob.send("NICK bob");
            bob.send("USER bob 0 * :b");
            bob.expect("001");
        }
        alice.close();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void resumeFailsClearlyWhenThePortWasTakenMeanwhileAndStaysPaused(EngineKind engine) throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(engine).build());
        int port = s.port();
        s.pause();
        try (ServerSocket thief = new ServerSocket()) {
            thief.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThatThrownBy(s::resume).hasMessageContaining("cannot listen again on 127.0.0.1 port " + port);
            assertThat(s.isPaused()).isTrue();
        }
        assertThat(s.resume()).isTrue();
        fx.register(s, "back");
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void shutdownTellsClientsThenRunsItsStepsInOrder(EngineKind engine) throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(engine).build());
        TestClient alice = fx.register(s, "alice");
        List<String> ran = new ArrayList<>();
        s.onShutdown(() -> ran.add("flush history, " + s.hub().connectionCount() + " clients left"));
        s.onShutdown(() -> {
            throw new IllegalStateException("a broken step");
        });
        s.onShutdown(() -> ran.add("close database"));

        s.shutdown("Maintenance");

        assertThat(alice.expect("ERROR").last()).contains("Maintenance");
        assertThat(ran).containsExactly("flush history, 0 clients left", "close database");
        assertThat(s.isShuttingDown()).isTrue();
        assertThatThrownBy(s::pause).hasMessageContaining("shutting down");
        assertThatThrownBy(s::resume).hasMessageContaining("shutting down");
    }
}
