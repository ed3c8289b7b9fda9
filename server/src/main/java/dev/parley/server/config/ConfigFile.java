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
 * directory. The keys are those of {@link Settings#ALL}, plus {@code [[operator]]} tables
 * (name, password-hash, hosts = ["*@127.0.0.1"], vhost); an operator's hosts are required.
 */
public final class ConfigFile {
    private static final Map<String, Set<String>> KEYS = keys();

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
        for (String section : Settings.sections()) {
            JsonNode node = r.section(root, section);
            if (section.equals("udp")) {
                b.udp(ServerConfig.Udp.OFF);
            }
            for (Setting setting : Settings.inSection(section)) {
                Object value = r.value(node, setting, dir);
                if (value != null) {
                    setting.apply().accept(b, value);
                }
            }
        }
        b.operators(r.operators(root.get("operator")));
        b.webirc(r.webirc(root.get("webirc")));
        return b;
    }

    /** The keys each section may hold: those of the settings, and an operator's. */
    private static Map<String, Set<String>> keys() {
        Map<String, Set<String>> keys = new java.util.LinkedHashMap<>();
        for (String section : Settings.sections()) {
            keys.put(section, Settings.inSection(section).stream().map(Setting::key)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet()));
        }
        keys.put("operator", Set.of("name", "password-hash", "hosts", "vhost"));
        keys.put("webirc", Set.of("name", "password-hash", "hosts"));
        return Map.copyOf(keys);
    }

    /** The keys the file may hold, by section ({@code operator} for an {@code [[operator]]} table). */
    public static Map<String, Set<String>> knownKeys() {
        return KEYS;
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

        /** The setting's value in {@code section} as {@link Setting.Type#valueClass()}, or null when absent. */
        Object value(JsonNode section, Setting s, Path dir) throws ConfigException {
            String sn = s.section();
            String k = s.key();
            return switch (s.type()) {
                case TEXT -> text(section, sn, k).orElse(null);
                case PATH -> text(section, sn, k).map(dir::resolve).orElse(null);
                case ENGINE -> text(section, sn, k).map(EngineKind::parse).orElse(null);
                case INT -> integer(section, sn, k).orElse(null);
                case SECONDS -> integer(section, sn, k).map(v -> Duration.ofSeconds(v)).orElse(null);
                case DAYS -> integer(section, sn, k).map(v -> Duration.ofDays(v)).orElse(null);
                case BOOL -> bool(section, sn, k).orElse(null);
                case ADDRESSES -> addresses(section, sn, k);
            };
        }

        List<String> addresses(JsonNode section, String sname, String key) throws ConfigException {
            JsonNode t = section == null ? null : section.get(key);
            if (t == null) {
                return null;
            }
            if (!t.isArray()) {
                throw new ConfigException(file + ": [" + sname + "] " + key
                        + " must be a list of addresses, e.g. [\"127.0.0.0/8\", \"::1\"]");
            }
            List<String> out = new ArrayList<>();
            t.forEach(x -> out.add(x.asText()));
            return out;
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

        List<ServerConfig.WebIrc> webirc(JsonNode list) throws ConfigException {
            List<ServerConfig.WebIrc> out = new ArrayList<>();
            if (list == null) {
                return out;
            }
            if (!list.isArray()) {
                throw new ConfigException(file + ": WEBIRC gateways are written as [[webirc]] tables");
            }
            for (JsonNode g : list) {
                checkKeys(g, "webirc");
                String name = text(g, "webirc", "name").orElseThrow(
                        () -> new ConfigException(file + ": a [[webirc]] gateway needs a name"));
                String hash = text(g, "webirc", "password-hash").orElseThrow(
                        () -> new ConfigException(file + ": webirc gateway " + name + " needs a password-hash"));
                List<String> hosts = new ArrayList<>();
                JsonNode h = g.get("hosts");
                if (h != null && !h.isArray()) {
                    throw new ConfigException(file + ": webirc gateway " + name + ": hosts must be a list of addresses");
                }
                for (JsonNode x : h == null ? List.<JsonNode>of() : h) {
                    if (!x.isTextual()) {
                        throw new ConfigException(file + ": webirc gateway " + name + ": hosts must be a list of addresses");
                    }
                    hosts.add(x.asText());
                }
                try {
                    out.add(new ServerConfig.WebIrc(name, hash, hosts));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file + ": " + e.getMessage());
                }
            }
            return out;
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
                // a missing or empty hosts list is refused by Operator: no operator may OPER from anywhere by default
                List<String> hosts = new ArrayList<>();
                JsonNode h = op.get("hosts");
                if (h != null && !h.isArray()) {
                    throw new ConfigException(file + ": operator " + name + ": hosts must be a list of masks");
                }
                for (JsonNode x : h == null ? List.<JsonNode>of() : h) {
                    if (!x.isTextual()) {
                        throw new ConfigException(file + ": operator " + name + ": hosts must be a list of masks");
                    }
                    hosts.add(x.asText());
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
