package dev.parley.server.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The message of the day: lines read once from a file, or none. */
public record Motd(List<String> lines) {
    public static Motd load(Path file) {
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

    public boolean isEmpty() {
        return lines.isEmpty();
    }
}
