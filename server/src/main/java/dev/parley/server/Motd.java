package dev.parley.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The message of the day: lines read once from a file, or none. */
record Motd(List<String> lines) {
    static Motd load(Path file) {
        if (file == null) {
            return new Motd(List.of());
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(l -> l.replace("\r", "").replace("\0", ""))
                    .toList();
            return new Motd(lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MOTD file " + file + ": " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }
}
