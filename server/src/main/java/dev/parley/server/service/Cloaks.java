package dev.parley.server.service;

import dev.parley.server.config.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cloaks: the host other users see instead of a client's address. A cloak is three
 * HMAC-SHA256 digests under the server's secret key, eight base32 characters each, most
 * specific first, then the suffix: the whole address, then its network (IPv4 /24, IPv6 /64),
 * then the wider one (IPv4 /16, IPv6 /48) — {@code kq7vr2md.b7xw4hzc.pany6t3e.ip}. The same
 * address always gets the same cloak, two addresses differ in the first part, and a channel
 * operator can still ban a whole network by cloak ({@code *!*@*.b7xw4hzc.pany6t3e.ip}).
 * Without the key nobody can tell which address is behind a cloak (nor try addresses one by one).
 *
 * <p>The key is 32 random bytes made once into {@code cloak.key} in the data directory (0600,
 * never logged). Thread-safe: each call makes its own {@link Mac}.
 */
public final class Cloaks {
    static final String KEY_FILE = "cloak.key";
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final byte[] key;
    private final String suffix;

    private Cloaks(byte[] key, String suffix) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the cloak key is too short");
        }
        this.key = key.clone();
        this.suffix = suffix;
    }

    /** Cloaks under {@code key} (tests, and a server without a data directory). */
    public static Cloaks withKey(byte[] key, String suffix) {
        return new Cloaks(key, suffix);
    }

    /** Cloaks under a fresh random key that lives as long as this object (no data directory). */
    public static Cloaks ephemeral(String suffix) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new Cloaks(k, suffix);
    }

    /** Cloaks under the key kept in {@code dataDir}, made there (0600) the first time. */
    public static Cloaks load(Path dataDir, String suffix) {
        Path file = dataDir.resolve(KEY_FILE);
        try {
            PrivateFiles.directory(dataDir);
            if (Files.exists(file) && Files.size(file) > 0) {
                PrivateFiles.file(file);
                byte[] k = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
                return new Cloaks(k, suffix);
            }
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            PrivateFiles.file(file); // made 0600 before the key is written into it
            Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.US_ASCII);
            return new Cloaks(k, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the cloak key " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the cloak key " + file + " is damaged; remove it to make a new one"
                    + " (every cloak changes)", e);
        }
    }

    /** The cloak of {@code address}. */
    public String cloak(InetAddress address) {
        byte[] a = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        int network = v4 ? 3 : 8;
        int wide = v4 ? 2 : 6;
        return part('a', a, a.length) + "." + part('n', a, network) + "." + part('w', a, wide) + "." + suffix;
    }

    private String part(char kind, byte[] address, int bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((byte) kind);
            mac.update((byte) address.length);
            mac.update(Arrays.copyOf(address, bytes));
            return base32(mac.doFinal(), 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String base32(byte[] digest, int chars) {
        StringBuilder sb = new StringBuilder(chars);
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = (bits << 8) | (digest[i] & 0xff);
        }
        for (int i = chars - 1; i >= 0; i--) {
            sb.append(BASE32[(int) ((bits >>> (5 * i)) & 31)]);
        }
        return sb.toString();
    }
}
