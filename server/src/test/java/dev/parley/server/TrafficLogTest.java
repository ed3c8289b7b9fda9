package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.server.config.EngineKind;
import dev.parley.server.diag.TrafficLog;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

class TrafficLogTest {
    private final ServerFixture fx = new ServerFixture();
    private final Logger logger = (Logger) LoggerFactory.getLogger("parley.traffic");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        logger.addAppender(events);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @AfterEach
    void tearDown() {
        TrafficLog.setEnabled(false);
        fx.close();
        logger.detachAppender(events);
        logger.setLevel(null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PASS hunter2                              | PASS <redacted>",
            "pass :hunter2 with spaces                 | pass <redacted>",
            "AUTHENTICATE YWxpY2UAYWxpY2UAaHVudGVyMg== | AUTHENTICATE <redacted>",
            "OPER admin hunter2                        | OPER admin <redacted>",
            "OPER admin :hunter2                       | OPER admin <redacted>",
            "OPER :admin                               | OPER <redacted>",
            "NS IDENTIFY hunter2                       | NS <redacted>",
            "NICKSERV REGISTER hunter2 a@b.c           | NICKSERV <redacted>",
            "PRIVMSG NickServ :IDENTIFY hunter2        | PRIVMSG NickServ <redacted>",
            "privmsg nickserv@services.test :id pw     | privmsg nickserv@services.test <redacted>",
            "NOTICE bob,NICKSERV :pw                   | NOTICE bob,NICKSERV <redacted>",
            "@label=1 :alice!a@h PRIVMSG NickServ :x y | @label=1 :alice!a@h PRIVMSG NickServ <redacted>",
            ":srv AUTHENTICATE +                       | :srv AUTHENTICATE <redacted>",
            "REGISTER alice a@b.c hunter2              | REGISTER alice <redacted>",
            "REGISTER * * :hunter2 x                   | REGISTER * <redacted>",
            "VERIFY alice 39f5b2                       | VERIFY alice <redacted>",
            "CHALLENGE admin                           | CHALLENGE <redacted>",
            "CHALLENGE +c2lnbmVk                       | CHALLENGE <redacted>",
            "NS IDENTIFY alice hunter2                 | NS <redacted>",
            "NS REGISTER hunter2 a@b.c                 | NS <redacted>",
            "NS PASSWORD hunter2                       | NS <redacted>",
            "NS SET PASSWORD hunter2                   | NS <redacted>",
            "NS DROP alice hunter2                     | NS <redacted>",
            "NS GHOST alice hunter2                    | NS <redacted>",
            "NS REGAIN alice hunter2                   | NS <redacted>",
            "NICKSERV SET PASSWORD hunter2             | NICKSERV <redacted>",
            "PRIVMSG NickServ :REGISTER hunter2 a@b.c  | PRIVMSG NickServ <redacted>",
            "PRIVMSG NickServ :SET PASSWORD hunter2    | PRIVMSG NickServ <redacted>",
            "PRIVMSG NickServ :DROP alice hunter2      | PRIVMSG NickServ <redacted>",
            "PRIVMSG NickServ :GHOST alice hunter2     | PRIVMSG NickServ <redacted>",
            "PRIVMSG NickServ :REGAIN alice hunter2    | PRIVMSG NickServ <redacted>",
            "PRIVMSG NickServ :PASSWORD hunter2        | PRIVMSG NickServ <redacted>",
            "PRIVMSG NS :IDENTIFY hunter2              | PRIVMSG NS <redacted>",
            "SQUERY NickServ :IDENTIFY hunter2         | SQUERY NickServ <redacted>",
            "PRIVMSG #chan :PASS hunter2               | PRIVMSG #chan :PASS hunter2",
            "PRIVMSG bob :NickServ is down             | PRIVMSG bob :NickServ is down",
            "PASS                                      | PASS",
            "NICK alice                                | NICK alice",
            "''                                        | ''",
    })
    void secretsAreRedactedAndEverythingElseKept(String line, String logged) {
        assertThat(TrafficLog.redact(line)).isEqualTo(logged);
    }

    @Test
    void offByDefaultNothingIsLogged() throws IOException {
        assertThat(TrafficLog.isEnabled()).isFalse();
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        TestClient alice = fx.register(s, "alice");
        alice.send("PING :x");
        alice.expect("PONG");
        assertThat(events.list).isEmpty();
    }

    @Test
    void everyLineInAndOutIsLoggedWithPasswordsRedacted() throws IOException {
        TrafficLog.setEnabled(true);
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.NIO).build());
        TestClient alice = fx.connect(s);
        alice.send("PASS hunter2");
        alice.send("NICK alice");
        alice.send("USER alice 0 * :Alice");
        alice.expect(m -> m.command().equals("376") || m.command().equals("422"));
        alice.send("OPER admin sekrit99");
        alice.expect("491");
        alice.send("PRIVMSG NickServ :IDENTIFY letmein");
        alice.send("REGISTER * * correct-horse-9");
        alice.send("JOIN #t");
        alice.expect("366");
        alice.send("QUIT :bye");
        alice.expect("ERROR");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(messages()).anyMatch(m -> m.contains("-> ERROR :Closing Link")));
        List<String> logged = messages();
        assertThat(logged).anyMatch(m -> m.endsWith("<- PASS <redacted>"))
                .anyMatch(m -> m.endsWith("<- NICK alice"))
                .anyMatch(m -> m.endsWith("<- OPER admin <redacted>"))
                .anyMatch(m -> m.endsWith("<- PRIVMSG NickServ <redacted>"))
                .anyMatch(m -> m.endsWith("<- REGISTER * <redacted>"))
                .anyMatch(m -> m.contains("alice (127.0.0.1) <- JOIN #t"))
                .anyMatch(m -> m.contains(" -> :irc.test 001 alice :Welcome"))
                .anyMatch(m -> m.matches(".* -> :alice!~alice@[a-z2-7.]+\\.ip JOIN #t"))
                .noneMatch(m -> m.contains("hunter2") || m.contains("sekrit99") || m.contains("letmein")
                        || m.contains("correct-horse-9"));
    }

    private List<String> messages() {
        synchronized (events) {
            return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
