package dev.parley.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the documentation made from {@link Settings}: the sample config file
 * {@code parley.example.toml} and the README's option tables, each between
 * {@code <!-- settings: NAME -->} and {@code <!-- /settings -->}.
 */
public final class SettingsDocs {
    private static final int COMMENT_COLUMN = 31;
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- settings: ([a-z]+) -->\\n)(.*?)(<!-- /settings -->)", Pattern.DOTALL);

    private SettingsDocs() {
    }

    /** The whole sample config file. */
    public static String exampleToml() {
        StringBuilder out = new StringBuilder("""
                # Parley server configuration. Every key is optional; options given on the command line win.
                # Start with:  ./parley server --config parley.example.toml
                # Operators send REHASH to reload this file without dropping anyone.
                # Relative paths are relative to this file. Made from dev.parley.server.config.Settings.
                """);
        for (String section : Settings.sections()) {
            out.append('\n').append(line("[" + section + "]",
                    section.equals("udp") ? "the UDP door; off unless a port is set"
                            : section.equals("cluster") ? "a network of nodes over NATS JetStream; off unless nats is set" : null));
            for (Setting s : Settings.inSection(section)) {
                String value = s.sample() != null ? s.sample() : tomlValue(s);
                String entry = (s.defaultValue() == null ? "# " : "") + s.key() + " = " + value;
                out.append(line(entry, s.note() != null ? s.note() : plain(s.meaning())));
            }
        }
        out.append("""

                # Server operators. Make a hash with:  ./parley hash-password  (8 characters at least)
                # hosts is required: an operator without it is refused; ["*@*"] allows any host.
                # [[operator]]
                # name = "admin"
                # password-hash = "$argon2id$v=19$m=19456,t=2,p=1$..."
                # hosts = ["*@127.0.0.1"]       # user@host masks allowed to use it (required)
                # vhost = "staff.parley.local"  # optional host shown once opered (a host name)
                """);
        return out.toString();
    }

    /** The markdown table of the settings listed in {@code doc}. */
    public static String readmeTable(Setting.Doc doc) {
        StringBuilder out = new StringBuilder("| option | default | meaning |\n|---|---|---|\n");
        for (Setting s : Settings.ALL) {
            if (s.doc() != doc) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < s.options().size(); i++) {
                String name = s.options().get(i);
                boolean last = i == s.options().size() - 1;
                names.add("`" + name + (last && s.label() != null ? " " + s.label() : "") + "`");
            }
            out.append("| ").append(String.join(", ", names)).append(" | ").append(s.docDefault())
                    .append(" | ").append(s.meaning()).append(" |\n");
        }
        return out.toString();
    }

    /** {@code readme} with every {@code <!-- settings: NAME -->} block replaced by the table it names. */
    public static String updateReadme(String readme) {
        Matcher m = BLOCK.matcher(readme);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Setting.Doc doc = Setting.Doc.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + readmeTable(doc) + m.group(4)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String tomlValue(Setting s) {
        String d = s.defaultValue();
        return switch (s.type()) {
            case INT, SECONDS, DAYS, BOOL -> d;
            case ADDRESSES -> d.isEmpty() || d.equals("none") ? "[]" : "[" + String.join(", ", quoteAll(d.split(","))) + "]";
            default -> quote(d);
        };
    }

    private static List<String> quoteAll(String[] items) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
            out.add(quote(item));
        }
        return out;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String plain(String markdown) {
        return markdown.replace("`", "").replace("*", "");
    }

    private static String line(String entry, String comment) {
        if (comment == null) {
            return entry + "\n";
        }
        return entry + " ".repeat(Math.max(1, COMMENT_COLUMN - entry.length())) + "# " + comment + "\n";
    }
}
