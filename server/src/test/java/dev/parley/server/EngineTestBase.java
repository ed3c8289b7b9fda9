package dev.parley.server;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;

/**
 * What every engine contract test class shares: a server fixture for the engine under test.
 * A contract is a {@code @ParameterizedClass} over {@link EngineKind}, so each of its tests runs
 * once on every engine.
 */
public abstract class EngineTestBase {
    protected final ServerFixture fx = new ServerFixture();
    private final EngineKind engine;

    protected EngineTestBase(EngineKind engine) {
        this.engine = engine;
    }

    /** The engine this instance tests. */
    protected EngineKind engine() {
        return engine;
    }

    protected ParleyServer start() throws IOException {
        return fx.start(config().build());
    }

    /**
     * True in the {@code …OverTls} subclasses of a contract: their servers listen only for TLS
     * (a self-signed certificate) and every test client connects over TLS.
     */
    protected boolean overTls() {
        return false;
    }

    protected ParleyServer start(ServerConfig.Builder b) throws IOException {
        return fx.start(b.build());
    }

    protected ServerConfig.Builder config() {
        ServerConfig.Builder b = ServerFixture.config(engine());
        return overTls() ? b.port(-1).tlsPort(0) : b;
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** A registered client already in {@code channel} (its NAMES burst consumed). */
    protected TestClient joined(ParleyServer s, String nick, String channel) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("JOIN " + channel);
        c.expect(m -> is(m, "366", null, channel));
        return c;
    }

    /** A client registered with the capabilities named in {@code caps} requested and acknowledged. */
    protected TestClient withCaps(ParleyServer s, String nick, String caps) throws IOException {
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :Real " + nick);
        c.capLs();
        c.send("CAP REQ :" + caps);
        org.assertj.core.api.Assertions.assertThat(c.expect("CAP").params()).containsExactly(nick, "ACK", caps);
        c.send("CAP END");
        c.expect(m -> m.command().equals("376") || m.command().equals("422"));
        return c;
    }

    /** True for {@code command} whose leading params equal {@code params} (null matches anything). */
    protected static boolean is(IrcMessage m, String command, String... params) {
        if (!m.command().equals(command) || m.paramCount() < params.length) {
            return false;
        }
        for (int i = 0; i < params.length; i++) {
            if (params[i] != null && !params[i].equalsIgnoreCase(m.param(i))) {
                return false;
            }
        }
        return true;
    }
}
