package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.server.ParleyServer;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web chat page end to end in a real browser (headless Chromium driven by
 * {@code web/e2e/chat.e2e.mjs}): two browser users and one TCP user chat in a channel both
 * ways, scrollback loads history, HTML in a message shows as text. The page comes from the jar,
 * served by the server's HTTP door. The screenshot is kept in {@code app/target/}.
 *
 * <p>Without Chromium (Debian's {@code chromium}) the test is skipped with a message, unless
 * {@code PARLEY_REQUIRE_BROWSER=1} (CI sets it, after installing the package).
 */
class WebChatBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void twoBrowserUsersAndATerminalUserChat() throws Exception {
        Path web = Path.of("..", "web").toAbsolutePath().normalize();
        boolean required = "1".equals(System.getenv("PARLEY_REQUIRE_BROWSER"));
        if (!required) {
            assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
            assumeTrue(Files.isDirectory(web.resolve("node_modules/playwright-core")), "web/node_modules not installed");
        }
        ServerConfig cfg = ServerConfig.builder().host("127.0.0.1").port(0).tlsPort(-1).httpPort(0)
                .engine(EngineKind.VIRTUAL).version("test").serverName("irc.test")
                .dataDir(Path.of("target", "test-data")).store(ServerConfig.StoreKind.MEMORY)
                .trustedAddresses(List.of("127.0.0.0/8")).shutdownGrace(Duration.ofMillis(200)).build();
        Path shot = Path.of("target", "web-chat.png").toAbsolutePath();
        Path log = Path.of("target", "web-chat-e2e.log").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        try (ParleyServer server = ParleyServer.start(cfg)) {
            Process p = new ProcessBuilder("node", "e2e/chat.e2e.mjs",
                    "http://127.0.0.1:" + server.httpDoor().httpPort() + "/", Integer.toString(server.port()),
                    shot.toString(), "--chromium", CHROMIUM.toString())
                    .directory(web.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(3, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(done).as("browser test finished; output:%n%s", output).isTrue();
            assertThat(p.exitValue()).as("browser test output:%n%s", output).isZero();
            assertThat(shot).exists();
        }
    }
}
