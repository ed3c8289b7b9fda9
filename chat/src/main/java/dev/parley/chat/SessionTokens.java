package dev.parley.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The session token kept for one server: a file of its own in the token directory (mode 0700),
 * written mode 0600, holding the account and the token NickServ issued (TOKENS NEW). With it a
 * restarted client logs in with SASL IRCV3BEARER instead of asking for the password. Runs on
 * the chat loop thread and, once, on the resolving thread.
 */
final class SessionTokens {
    private SessionTokens() {
    }

    /** A stored token and the account it logs in to. */
    record Stored(String account, String token) {
        @Override
        public String toString() {
            return "Stored[" + account + ", token hidden]";
        }
    }

    /** The file for {@code endpoint} in {@code dir}. */
    static Path file(Path dir, Endpoint endpoint) {
        return dir.resolve((endpoint.host() + "_" + endpoint.port()).replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** The token in {@code file} when it is for {@code account} (any account when null); null otherwise. */
    static Stored read(Path file, String account) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || lines.get(1).isBlank()
                    || (account != null && !lines.get(0).equalsIgnoreCase(account))) {
                return null;
            }
            return new Stored(lines.get(0), lines.get(1).strip());
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code token} for {@code account} to {@code file}, mode 0600, replacing any before. */
    static void write(Path file, String account, String token) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = dir.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, account + "\n" + token + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Forgets the token in {@code file}. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a token the server refused is useless anyway
        }
    }
}
