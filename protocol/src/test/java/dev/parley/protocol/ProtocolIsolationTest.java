package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The protocol module must stay pure: no sockets, no threads, no concurrency primitives. */
class ProtocolIsolationTest {
    private static final List<String> FORBIDDEN = List.of(
            "java/net/", "java/nio/channels/", "java/lang/Thread", "java/util/concurrent/", "java/lang/Runnable");

    @Test
    void compiledProtocolClassesReferenceNoSocketsOrThreads() throws IOException {
        Path classes = Path.of(IrcMessage.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (Stream<Path> files = Files.walk(classes)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".class")).toList();
            assertThat(all).isNotEmpty();
            for (Path p : all) {
                String constantPool = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (String f : FORBIDDEN) {
                    assertThat(constantPool).as("%s must not use %s", p.getFileName(), f).doesNotContain(f);
                }
            }
        }
    }
}
