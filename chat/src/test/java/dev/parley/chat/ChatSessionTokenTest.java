package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code parley chat} keeps a session token per server, mode 0600, and a restart logs in with it. */
class ChatSessionTokenTest {
    private final ServerFixture fixture = new ServerFixture();
    private final List<PlainSession> sessions = new ArrayList<>();

    @TempDir
    Path home;

    @AfterEach
    void tearDown() {
        sessions.forEach(PlainSession::close);
        fixture.close();
    }

    private PlainSession chat(Map<String, String> env, String... args) throws Exception {
        PlainSession s = PlainSession.startWithEnv(env, args);
        sessions.add(s);
        return s;
    }

    @Test
    void theTokenIsKeptPrivatelyAndARestartNeedsNoPassword() throws Exception {
        ParleyServer server = fixture.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        TestClient owner = fixture.register(server, "yara");
        owner.send("REGISTER * * yara-password");
        owner.expect("900");
        owner.send("QUIT");
        Path tokens = home.resolve("tokens");
        String address = "127.0.0.1:" + server.port();

        PlainSession first = chat(Map.of("PW", "yara-password"), address, "--nick", "yara", "--account", "yara",
                "--password-env", "PW", "--token-dir", tokens.toString());
        first.expect(l -> l.contains("session token kept in"));
        Path file = SessionTokens.file(tokens, new Endpoint("127.0.0.1", server.port()));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).startsWith("yara\n").doesNotContain("yara-password");
        String kept = Files.readAllLines(file).get(1);
        assertThat(first.output()).noneMatch(l -> l.contains(kept));
        first.type("/quit");
        assertThat(first.awaitExit()).isZero();

        // no password given this time, and none asked for: the kept token logs in
        PlainSession again = chat(Map.of(), address, "--nick", "yara", "--account", "yara", "--token-dir", tokens.toString());
        again.expect(l -> l.contains("logged in as yara (SASL, kept session token)"));
        again.type("/quit");
        assertThat(again.awaitExit()).isZero();

        // a revoked token is forgotten; the password logs in again
        TestClient revoker = fixture.register(server, "yara2");
        revoker.send("NS IDENTIFY yara yara-password");
        revoker.expect("900");
        revoker.send("NS TOKENS REVOKE ALL");
        revoker.expect(m -> m.command().equals("NOTICE") && m.last().startsWith("Revoked"));
        PlainSession third = chat(Map.of("PW", "yara-password"), address, "--nick", "yara3", "--account", "yara",
                "--password-env", "PW", "--token-dir", tokens.toString());
        third.expect(l -> l.contains("the kept session token was refused; logging in with the password"));
        third.expect(l -> l.contains("logged in as yara (SASL)"));
    }
}
