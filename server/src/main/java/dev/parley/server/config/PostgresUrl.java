package dev.parley.server.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A PostgreSQL database the store lives in, as {@code --store} names it:
 * {@code postgresql://user@host:port/database?param=value} (also {@code postgres://}, and a
 * {@code jdbc:postgresql://} URL). The password is held apart from the URL and never shown:
 * {@link #toString()} and {@link #shown()} mask it, and {@link #jdbcUrl()} carries neither the
 * user nor the password.
 *
 * @param jdbcUrl  {@code jdbc:postgresql://hosts/database?params}, without user or password
 * @param user     the role to connect as, or {@code null} for the driver's default
 * @param password the password the URL carried, or {@code null}
 * @param shown    the URL as logs and the console show it: the password, if any, as {@code ****}
 */
public record PostgresUrl(String jdbcUrl, String user, String password, String shown) {
    /** The environment variable a password may come from. */
    public static final String PASSWORD_VARIABLE = "PARLEY_STORE_PASSWORD";

    private static final String MASK = "****";
    private static final List<String> PREFIXES = List.of("postgresql://", "postgres://", "jdbc:postgresql://");

    /** Whether {@code text} is meant as a PostgreSQL URL (rather than a store kind such as {@code sqlite}). */
    public static boolean isUrl(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return PREFIXES.stream().anyMatch(lower::startsWith) || lower.startsWith("jdbc:postgresql:");
    }

    /**
     * Reads a PostgreSQL URL. User and password may come from the authority
     * ({@code user:password@}) or from the {@code user} and {@code password} parameters, and are
     * percent-decoded; the other parameters go to the PostgreSQL JDBC driver as they are.
     *
     * @throws IllegalArgumentException naming what is wrong, never showing the password
     */
    public static PostgresUrl parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String prefix = PREFIXES.stream().filter(lower::startsWith).findFirst()
                .orElseThrow(() -> bad("must start with postgresql://, postgres:// or jdbc:postgresql://", null));
        String rest = text.substring(prefix.length());
        int end = indexOfAny(rest, "/?");
        String authority = end < 0 ? rest : rest.substring(0, end);
        rest = end < 0 ? "" : rest.substring(end);
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
        }
        if (authority.isEmpty()) {
            throw bad("names no host (postgresql://user@HOST:5432/database)", null);
        }
        if (!authority.matches("[A-Za-z0-9._\\-:\\[\\],%]+")) {
            throw bad("has a host part that is not host[:port][,host[:port]…]", null);
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String database = rest.startsWith("/") ? decode(rest.substring(1), "database name") : "";
        if (database.isEmpty()) {
            throw bad("names no database (postgresql://user@host:5432/DATABASE)", null);
        }
        List<String> params = new ArrayList<>();
        for (String p : query.split("&")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (name.equals("password")) {
                password = decode(value, "password");
            } else if (name.equals("user")) {
                user = decode(value, "user");
            } else if (name.toLowerCase(Locale.ROOT).contains("password")) {
                throw bad("carries " + name + ", which would show wherever the URL does", "leave it out of the URL");
            } else {
                params.add(p);
            }
        }
        if (user != null && user.isEmpty()) {
            user = null;
        }
        String where = authority + "/" + encodePath(database) + (params.isEmpty() ? "" : "?" + String.join("&", params));
        String shownUser = user == null ? "" : encodeUser(user) + (password == null ? "" : ":" + MASK) + "@";
        if (user == null && password != null) {
            shownUser = ":" + MASK + "@";
        }
        return new PostgresUrl("jdbc:postgresql://" + where, user, password, "postgresql://" + shownUser + where);
    }

    /** The URL with its password masked. */
    @Override
    public String toString() {
        return shown;
    }

    /** Where a store password came from. */
    public enum PasswordSource {
        /** {@code --store-password-file} ({@code accounts.store-password-file}). */
        FILE,
        /** The environment variable {@value #PASSWORD_VARIABLE}. */
        ENVIRONMENT,
        /** The URL itself. */
        URL,
        /** None was given: the server connects without one (trust or peer authentication). */
        NONE
    }

    /** A password to connect with, and where it came from; {@link #toString()} does not show it. */
    public record Password(String value, PasswordSource source) {
        @Override
        public String toString() {
            return "Password[" + source + "]";
        }
    }

    /**
     * The password to connect with: the first line of {@code passwordFile} when one is named, else
     * the variable {@value #PASSWORD_VARIABLE} when it is set, else the URL's.
     *
     * @throws UncheckedIOException when the file cannot be read or is empty
     */
    public Password resolvePassword(Path passwordFile, Function<String, String> environment) {
        if (passwordFile != null) {
            String text;
            try {
                text = Files.readString(passwordFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the store password file " + passwordFile + ": "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            }
            int nl = text.indexOf('\n');
            String line = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
            if (line.isEmpty()) {
                String message = "the store password file " + passwordFile + " is empty; its first line is the password";
                throw new UncheckedIOException(message, new IOException(message));
            }
            return new Password(line, PasswordSource.FILE);
        }
        String fromEnvironment = environment.apply(PASSWORD_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return new Password(fromEnvironment, PasswordSource.ENVIRONMENT);
        }
        return password != null ? new Password(password, PasswordSource.URL) : new Password(null, PasswordSource.NONE);
    }

    private static IllegalArgumentException bad(String what, String detail) {
        return new IllegalArgumentException("the PostgreSQL store URL (--store) " + what + (detail == null ? "" : ": " + detail));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Percent-decodes {@code s} (UTF-8); {@code +} stays a plus sign. */
    private static String decode(String s, String what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw bad("has a bad percent escape in its " + what, null);
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encodeUser(String s) {
        return encode(s, "-._~");
    }

    private static String encodePath(String s) {
        return encode(s, "-._~");
    }

    /** Percent-encodes every byte of {@code s} but letters, digits and {@code safe}. */
    private static String encode(String s, String safe) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || safe.indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
