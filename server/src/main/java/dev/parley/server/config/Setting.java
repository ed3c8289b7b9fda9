package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One setting of {@code parley server}: its command-line option, its key in the config file,
 * its type, its default, what it means, and how a value is applied to a
 * {@link ServerConfig.Builder}. {@link Settings#ALL} lists them all.
 *
 * @param options      the option's names, e.g. {@code -p, --port}; empty for a file-only setting
 * @param label        the option's parameter label, e.g. {@code P}; {@code null} for a flag
 * @param section      the config file's table holding it; {@code null} for a command-line-only setting
 * @param key          its key in that table
 * @param type         how its value is written and read
 * @param defaultValue the default as text (as the command line and the file take it); {@code null} for none
 * @param docDefault   the default as the README shows it (markdown)
 * @param help         the option's {@code --help} text
 * @param meaning      one line for the README's table (markdown) and the sample file
 * @param sample       the value the sample file shows instead of the default (TOML), or {@code null}
 * @param note         the sample file's comment when it differs from {@code meaning}, or {@code null}
 * @param doc          the README table that lists it
 * @param apply        applies a value of the setting's {@link Type#valueClass()} to a builder;
 *                     {@code null} for an option the command reads itself (logging, console)
 */
public record Setting(List<String> options, String label, String section, String key, Type type,
        String defaultValue, String docDefault, String help, String meaning, String sample, String note, Doc doc,
        BiConsumer<ServerConfig.Builder, Object> apply) {

    public Setting {
        options = List.copyOf(options);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(meaning, "meaning");
        Objects.requireNonNull(doc, "doc");
        if (options.isEmpty() && section == null) {
            throw new IllegalArgumentException("a setting needs an option or a key: " + meaning);
        }
        if ((section == null) != (key == null)) {
            throw new IllegalArgumentException("a key needs its section: " + meaning);
        }
    }

    /** The README tables a setting can be listed in. */
    public enum Doc {
        /** "Options" under "Configuration file and operators". */
        OPTIONS,
        /** The log, console and shutdown options under "Operator console and event log". */
        LOG,
        /** The UDP door's options. */
        UDP,
        /** Clustering options. */
        CLUSTER,
        /** Only under "Limits and protection", whose table is written by hand and checked. */
        LIMITS,
        /** Only in the sample file. */
        NONE
    }

    /** How a setting's value is written on the command line and in the file, and what Java value it becomes. */
    public enum Type {
        /** A string. */
        TEXT(String.class),
        /** A whole number. */
        INT(Integer.class),
        /** A whole, positive number of seconds. */
        SECONDS(Duration.class),
        /** A whole number of days, 0 or more. */
        DAYS(Duration.class),
        /** A path; in the file, relative to the file's directory. */
        PATH(Path.class),
        /** On the command line a flag (one named {@code --no-…} turns the setting off); in the file true or false. */
        BOOL(Boolean.class),
        /** Addresses or CIDR blocks: comma-separated ({@code none} for none) on the command line, a list in the file. */
        ADDRESSES(List.class),
        /** An {@link EngineKind} by name. */
        ENGINE(EngineKind.class);

        private final Class<?> valueClass;

        Type(Class<?> valueClass) {
            this.valueClass = valueClass;
        }

        /** The Java class of the values {@link Setting#apply()} takes. */
        public Class<?> valueClass() {
            return valueClass;
        }

        /** {@code value} (of {@link #valueClass()}) as the command line and the file's text take it. */
        public String format(Object value) {
            return switch (this) {
                case SECONDS -> Long.toString(((Duration) value).toSeconds());
                case DAYS -> Long.toString(((Duration) value).toDays());
                case ADDRESSES -> ((List<?>) value).isEmpty() ? "none"
                        : ((List<?>) value).stream().map(Object::toString).collect(java.util.stream.Collectors.joining(","));
                case ENGINE -> ((EngineKind) value).name().toLowerCase(Locale.ROOT);
                default -> value.toString();
            };
        }
    }

    /** A value given for a setting that the setting cannot take; the message names the option. */
    public static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadValue(String message) {
            super(message);
        }
    }

    /** The option's long name ({@code --port}), or {@code null} for a file-only setting. */
    public String longOption() {
        return options.isEmpty() ? null : options.get(options.size() - 1);
    }

    /** {@code section.key}, or {@code null} for a command-line-only setting. */
    public String fileKey() {
        return section == null ? null : section + "." + key;
    }

    /** Whether this setting changes the server's configuration (rather than something the command does itself). */
    public boolean configures() {
        return apply != null;
    }

    /**
     * Turns what the option parser produced ({@code int}, {@code long}, string, path, engine,
     * flag or list) into a value of {@link Type#valueClass()}.
     *
     * @throws BadValue for a value the setting cannot take, naming the option
     */
    public Object fromOption(Object parsed) {
        String option = longOption();
        return switch (type) {
            case SECONDS -> {
                long s = ((Number) parsed).longValue();
                if (s <= 0) {
                    throw new BadValue(option + " must be a positive number of seconds");
                }
                yield Duration.ofSeconds(s);
            }
            case DAYS -> {
                long d = ((Number) parsed).longValue();
                if (d < 0) {
                    throw new BadValue(option + " must be 0 or more days");
                }
                yield Duration.ofDays(d);
            }
            case BOOL -> option.startsWith("--no-") != (Boolean) parsed;
            case ADDRESSES -> {
                List<?> list = (List<?>) parsed;
                yield list.size() == 1 && list.get(0).toString().equalsIgnoreCase("none")
                        ? List.of() : List.copyOf(list);
            }
            default -> parsed;
        };
    }
}
