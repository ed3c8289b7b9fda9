package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.core.Hub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's packages are layers (ARCHITECTURE.md): a class may use its own package and the
 * layers below it, never one above, and the doors at the top (engine, udp, http) and the cluster never use each
 * other. Checked on the compiled classes, so no import, fully qualified name or lambda escapes.
 */
class PackageLayersTest {
    /** Layer of each package, lowest first; equal numbers may not use each other. */
    private static final Map<String, Integer> LAYER = Map.ofEntries(
            Map.entry("config", 0), Map.entry("diag", 1), Map.entry("store", 2), Map.entry("service", 3),
            Map.entry("core", 4), Map.entry("session", 5), Map.entry("command", 6), Map.entry("engine", 7),
            Map.entry("udp", 7), Map.entry("http", 7), Map.entry("cluster", 7), Map.entry("", 8));
    private static final Pattern REFERENCE = Pattern.compile("dev/parley/server/(?:(\\w+)/)?[A-Z]");

    @Test
    void noPackageUsesOneAboveIt() throws IOException {
        Path classes = Path.of(Hub.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path root = classes.resolve("dev/parley/server");
        List<String> violations = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String pkg = root.relativize(p.getParent()).toString().replace('/', '.');
                Integer mine = LAYER.get(pkg);
                assertThat(mine).as("layer of package '%s' (add it to LAYER and ARCHITECTURE.md)", pkg).isNotNull();
                checked++;
                String constantPool = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                Matcher m = REFERENCE.matcher(constantPool);
                while (m.find()) {
                    String used = m.group(1) == null ? "" : m.group(1);
                    Integer theirs = LAYER.get(used);
                    if (theirs == null || used.equals(pkg)) {
                        continue;
                    }
                    if (theirs > mine || (theirs.equals(mine) && !used.equals(pkg))) {
                        violations.add(pkg + "/" + p.getFileName() + " uses " + (used.isEmpty() ? "(root)" : used));
                    }
                }
            }
        }
        assertThat(checked).as("classes checked").isGreaterThan(40);
        assertThat(violations).as("references to a higher layer").isEmpty();
    }
}
