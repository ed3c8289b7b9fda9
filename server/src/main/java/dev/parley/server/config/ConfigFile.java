package dev.parley.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code parley.toml}. Every key is optional; an unknown key, a wrong type or an
 * impossible value is an error naming the key. Relative paths are resolved against the file's
 * directory.
 *
 * <pre>
 * [server]     name, network, host, port, port-attempts, engine, nio-loops, data-dir, motd-file
 * [admin]      location, email
 * [limits]     max-connections, sendq, nick-length, user-length, channel-length, topic-length,
 *              kick-length, away-length, max-channels, max-targets, modes-per-command, whowas,
 *              ping-interval, ping-timeout, registration-timeout   (times in seconds)
 * [accounts]   store (sqlite|memory), remember-hosts, nick-protection-grace, login-attempts, login-lockout,
 *              login-attempts-per-account, hashing-threads, hashing-queue, accounts-per-address,
 *              account-window (seconds)
 * [history]    replay, keep, max-age-days
 * [[operator]] name, password-hash, hosts = ["*@127.0.0.1"], vhost
 * </pre>
 */
public final class ConfigFile {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "server", Set.of("name", "network", "host", "port", "port-attempts", "engine", "nio-loops", "data-dir",
                    "motd-file"),
            "admin", Set.of("location", "email"),
            "accounts", Set.of("store", "remember-hosts", "nick-protection-grace", "login-attempts", "login-lockout",
                    "login-attempts-per-account", "hashing-threads", "hashing-queue", "accounts-per-address",
                    "account-window"),
            "history", Set.of("replay", "keep", "max-age-days"),
            "limits", Set.of("max-connections", "max-connections-per-address", "trusted", "flood-burst",
                    "flood-rate", "recvq", "sendq", "nick-length", "user-length", "channel-length",
                    "topic-length", "kick-length", "away-length", "max-channels", "max-targets", "modes-per-command",
                    "whowas", "ping-interval", "ping-timeout", "registration-timeout"),
            "udp", Set.of("port", "channel", "max-datagram", "idle-timeout", "rate", "burst", "max-participants"),
            "operator", Set.of("name", "password-hash", "hosts", "vhost"));

    private ConfigFile() {
    }

    /** Thrown for a file that cannot be used; the message names the file and the key. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Applies the settings in {@code file} to {@code b}. */
    public static ServerConfig.Builder apply(Path file, ServerConfig.Builder b) throws ConfigException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + firstLine(e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        b.configFile(file);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String section = it.next();
            if (!KEYS.containsKey(section)) {
                throw new ConfigException(file + ": unknown section [" + section + "]");
            }
        }
        Reader r = new Reader(file);
        JsonNode server = r.section(root, "server");
        r.text(server, "server", "name").ifPresent(b::serverName);
        r.text(server, "server", "network").ifPresent(b::networkName);
        r.text(server, "server", "host").ifPresent(b::host);
        r.integer(server, "server", "port").ifPresent(b::port);
        r.integer(server, "server", "port-attempts").ifPresent(b::portAttempts);
        r.text(server, "server", "engine").ifPresent(v -> b.engine(r.engine(v)));
        r.integer(server, "server", "nio-loops").ifPresent(b::nioLoops);
        r.text(server, "server", "data-dir").ifPresent(v -> b.dataDir(dir.resolve(v)));
        r.text(server, "server", "motd-file").ifPresent(v -> b.motdFile(dir.resolve(v)));
        JsonNode admin = r.section(root, "admin");
        r.text(admin, "admin", "location").ifPresent(b::adminLocation);
        r.text(admin, "admin", "email").ifPresent(b::adminEmail);
        JsonNode limits = r.section(root, "limits");
        r.integer(limits, "limits", "max-connections").ifPresent(b::maxConnections);
        r.integer(limits, "limits", "sendq").ifPresent(b::sendQBytes);
        r.integer(limits, "limits", "max-connections-per-address").ifPresent(b::maxConnectionsPerAddress);
        r.integer(limits, "limits", "flood-burst").ifPresent(b::floodBurst);
        r.integer(limits, "limits", "flood-rate").ifPresent(b::floodRate);
        r.integer(limits, "limits", "recvq").ifPresent(b::recvQBytes);
        if (limits != null && limits.get("trusted") != null) {
            JsonNode t = limits.get("trusted");
            if (!t.isArray()) {
                throw new ConfigException(file + ": [limits] trusted must be a list of addresses, e.g. [\"127.0.0.0/8\", \"::1\"]");
            }
            List<String> trusted = new ArrayList<>();
            t.forEach(x -> trusted.add(x.asText()));
            b.trustedAddresses(trusted);
        }
        r.integer(limits, "limits", "nick-length").ifPresent(b::nickLength);
        r.integer(limits, "limits", "user-length").ifPresent(b::userLength);
        r.integer(limits, "limits", "channel-length").ifPresent(b::channelLength);
        r.integer(limits, "limits", "topic-length").ifPresent(b::topicLength);
        r.integer(limits, "limits", "kick-length").ifPresent(b::kickLength);
        r.integer(limits, "limits", "away-length").ifPresent(b::awayLength);
        r.integer(limits, "limits", "max-channels").ifPresent(b::maxChannelsPerUser);
        r.integer(limits, "limits", "max-targets").ifPresent(b::maxTargets);
        r.integer(limits, "limits", "modes-per-command").ifPresent(b::modesPerCommand);
        r.integer(limits, "limits", "whowas").ifPresent(b::whowasSize);
        r.integer(limits, "limits", "ping-interval").ifPresent(v -> b.pingInterval(Duration.ofSeconds(v)));
        r.integer(limits, "limits", "ping-timeout").ifPresent(v -> b.pingTimeout(Duration.ofSeconds(v)));
        r.integer(limits, "limits", "registration-timeout").ifPresent(v -> b.registrationTimeout(Duration.ofSeconds(v)));
        JsonNode accounts = r.section(root, "accounts");
        r.text(accounts, "accounts", "store").ifPresent(v -> b.store(ServerConfig.StoreKind.parse(v)));
        r.bool(accounts, "accounts", "remember-hosts").ifPresent(b::rememberHosts);
        r.integer(accounts, "accounts", "nick-protection-grace").ifPresent(v -> b.nickProtectionGrace(Duration.ofSeconds(v)));
        r.integer(accounts, "accounts", "login-attempts").ifPresent(b::loginMaxFailures);
        r.integer(accounts, "accounts", "login-lockout").ifPresent(v -> b.loginLockout(Duration.ofSeconds(v)));
        r.integer(accounts, "accounts", "login-attempts-per-account").ifPresent(b::loginMaxFailuresPerAccount);
        r.integer(accounts, "accounts", "hashing-threads").ifPresent(b::hashingThreads);
        r.integer(accounts, "accounts", "hashing-queue").ifPresent(b::hashingQueue);
        r.integer(accounts, "accounts", "accounts-per-address").ifPresent(b::accountsPerAddress);
        r.integer(accounts, "accounts", "account-window").ifPresent(v -> b.accountWindow(Duration.ofSeconds(v)));
        JsonNode history = r.section(root, "history");
        r.integer(history, "history", "replay").ifPresent(b::historyReplay);
        r.integer(history, "history", "keep").ifPresent(b::historyKeepPerTarget);
        r.integer(history, "history", "max-age-days").ifPresent(v -> b.historyMaxAge(Duration.ofDays(v)));
        JsonNode udpNode = r.section(root, "udp");
        ServerConfig.Udp udp = ServerConfig.Udp.OFF;
        udp = r.integer(udpNode, "udp", "port").map(udp::withPort).orElse(udp);
        udp = r.text(udpNode, "udp", "channel").map(udp::withChannel).orElse(udp);
        udp = r.integer(udpNode, "udp", "max-datagram").map(udp::withMaxDatagram).orElse(udp);
        udp = r.integer(udpNode, "udp", "idle-timeout").map(v -> Duration.ofSeconds(v)).map(udp::withIdleTimeout).orElse(udp);
        udp = r.integer(udpNode, "udp", "rate").map(udp::withRate).orElse(udp);
        udp = r.integer(udpNode, "udp", "burst").map(udp::withBurst).orElse(udp);
        udp = r.integer(udpNode, "udp", "max-participants").map(udp::withMaxParticipants).orElse(udp);
        b.udp(udp);
        b.operators(r.operators(root.get("operator")));
        return b;
    }

    /** A source that re-reads {@code file} on REHASH, then re-applies {@code overrides}. */
    public static ConfigSource source(Path file, ServerConfig.Builder defaults,
                                      java.util.function.UnaryOperator<ServerConfig.Builder> overrides) throws ConfigException {
        ServerConfig initial = build(file, defaults.build().toBuilder(), overrides);
        ServerConfig base = defaults.build();
        return new ConfigSource() {
            @Override
            public ServerConfig initial() {
                return initial;
            }

            @Override
            public ServerConfig reload() throws ConfigException {
                return build(file, base.toBuilder(), overrides);
            }
        };
    }

    private static ServerConfig build(Path file, ServerConfig.Builder b,
                                      java.util.function.UnaryOperator<ServerConfig.Builder> overrides) throws ConfigException {
        try {
            return overrides.apply(apply(file, b)).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Typed access with errors that name the key. */
    private record Reader(Path file) {
        JsonNode section(JsonNode root, String name) throws ConfigException {
            JsonNode n = root.get(name);
            if (n == null) {
                return null;
            }
            if (!n.isObject()) {
                throw new ConfigException(file + ": [" + name + "] must be a table");
            }
            checkKeys(n, name);
            return n;
        }

        void checkKeys(JsonNode n, String section) throws ConfigException {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!KEYS.get(section).contains(key)) {
                    throw new ConfigException(file + ": unknown key '" + key + "' in [" + section + "]");
                }
            }
        }

        java.util.Optional<String> text(JsonNode section, String sname, String key) throws ConfigException {
            JsonNode v = section == null ? null : section.get(key);
            if (v == null) {
                return java.util.Optional.empty();
            }
            if (!v.isTextual()) {
                throw new ConfigException(file + ": " + sname + "." + key + " must be a string");
            }
            return java.util.Optional.of(v.asText());
        }

        java.util.Optional<Integer> integer(JsonNode section, String sname, String key) throws ConfigException {
            JsonNode v = section == null ? null : section.get(key);
            if (v == null) {
                return java.util.Optional.empty();
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw new ConfigException(file + ": " + sname + "." + key + " must be a whole number");
            }
            return java.util.Optional.of(v.asInt());
        }

        java.util.Optional<Boolean> bool(JsonNode section, String sname, String key) throws ConfigException {
            JsonNode v = section == null ? null : section.get(key);
            if (v == null) {
                return java.util.Optional.empty();
            }
            if (!v.isBoolean()) {
                throw new ConfigException(file + ": " + sname + "." + key + " must be true or false");
            }
            return java.util.Optional.of(v.asBoolean());
        }

        EngineKind engine(String v) {
            return EngineKind.parse(v);
        }

        List<ServerConfig.Operator> operators(JsonNode list) throws ConfigException {
            List<ServerConfig.Operator> out = new ArrayList<>();
            if (list == null) {
                return out;
            }
            if (!list.isArray()) {
                throw new ConfigException(file + ": operators are written as [[operator]] tables");
            }
            for (JsonNode op : list) {
                checkKeys(op, "operator");
                String name = text(op, "operator", "name").orElseThrow(
                        () -> new ConfigException(file + ": an [[operator]] needs a name"));
                String hash = text(op, "operator", "password-hash").orElseThrow(
                        () -> new ConfigException(file + ": operator " + name + " needs a password-hash"));
                List<String> hosts = new ArrayList<>();
                JsonNode h = op.get("hosts");
                if (h != null) {
                    if (!h.isArray()) {
                        throw new ConfigException(file + ": operator " + name + ": hosts must be a list of masks");
                    }
                    h.forEach(x -> hosts.add(x.asText()));
                }
                String vhost = text(op, "operator", "vhost").orElse(null);
                try {
                    out.add(new ServerConfig.Operator(name, hash, hosts, vhost));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file + ": " + e.getMessage());
                }
            }
            return out;
        }
    }
}
