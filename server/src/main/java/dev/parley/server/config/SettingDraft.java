package dev.parley.server.config;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A {@link Setting} being written down in {@link Settings}: each call fills in one part; the
 * default is read from a default-built {@link ServerConfig}.
 */
final class SettingDraft {
    private static final ServerConfig DEFAULTS = ServerConfig.builder().build();

    private final List<String> options;
    private String label;
    private String section;
    private String key;
    private Setting.Type type;
    private String defaultValue;
    private String docDefault;
    private String help;
    private String meaning;
    private String sample;
    private String note;
    private Setting.Doc doc;
    private BiConsumer<ServerConfig.Builder, Object> apply;

    SettingDraft(List<String> options) {
        this.options = options;
    }

    SettingDraft label(String l) {
        label = l;
        return this;
    }

    SettingDraft file(String s, String k) {
        section = s;
        key = k;
        return this;
    }

    /** A setting of the server's configuration: its default is what {@code get} reads from a default build. */
    @SuppressWarnings("unchecked")
    <T> SettingDraft value(Setting.Type t, Function<ServerConfig, T> get, BiConsumer<ServerConfig.Builder, T> set) {
        type = t;
        T d = get.apply(DEFAULTS);
        defaultValue = d == null ? null : t.format(d);
        apply = (b, v) -> set.accept(b, (T) t.valueClass().cast(v));
        return this;
    }

    /** A setting the command reads itself, with its default as text. */
    SettingDraft own(Setting.Type t, String defaultText) {
        type = t;
        defaultValue = defaultText;
        return this;
    }

    SettingDraft docDefault(String d) {
        docDefault = d;
        return this;
    }

    SettingDraft sample(String s) {
        sample = s;
        return this;
    }

    SettingDraft note(String n) {
        note = n;
        return this;
    }

    SettingDraft help(String h) {
        help = h;
        return this;
    }

    SettingDraft doc(Setting.Doc d, String m) {
        doc = d;
        meaning = m;
        return this;
    }

    Setting build() {
        String shown = docDefault != null ? docDefault : defaultValue != null ? "`" + defaultValue + "`" : "none";
        return new Setting(options, label, section, key, type, defaultValue, shown, help, meaning, sample, note, doc, apply);
    }
}
