package dev.parley.protocol;

/** IRCv3 message-tag keys and value escaping (ircv3.net/specs/extensions/message-tags). */
public final class Tags {
    private Tags() {
    }

    /** {@code [+][vendor/]name} where name is letters, digits and hyphens. */
    public static boolean isValidKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        int start = key.charAt(0) == '+' ? 1 : 0;
        int slash = key.lastIndexOf('/');
        int nameStart = Math.max(start, slash + 1);
        if (nameStart >= key.length()) {
            return false;
        }
        for (int i = nameStart; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-') {
                return false;
            }
        }
        for (int i = start; i < slash; i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c == '=' || c == ';' || c == '@') {
                return false;
            }
        }
        return true;
    }

    /** True for client-only tags, which start with {@code +}. */
    public static boolean isClientTag(String key) {
        return !key.isEmpty() && key.charAt(0) == '+';
    }

    public static String escape(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String rep = switch (c) {
                case ';' -> "\\:";
                case ' ' -> "\\s";
                case '\\' -> "\\\\";
                case '\r' -> "\\r";
                case '\n' -> "\\n";
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? value : out.toString();
    }

    public static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i + 1 == value.length()) {
                break; // a lone trailing backslash is dropped
            }
            char n = value.charAt(++i);
            switch (n) {
                case ':' -> out.append(';');
                case 's' -> out.append(' ');
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                default -> out.append(n); // "\\" and any other escaped char stand for themselves
            }
        }
        return out.toString();
    }
}
