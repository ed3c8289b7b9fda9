package dev.parley.protocol;

/** Validity of nicknames, channel names and user names. */
public final class Names {
    private Names() {
    }

    /** Channel name prefixes this server accepts (ISUPPORT CHANTYPES). */
    public static final String CHANTYPES = "#&";

    /**
     * A nick starts with a letter or one of {@code []\`_^{|}} and continues with those, digits
     * or {@code -}; at most {@code maxLength} characters.
     */
    public static boolean isValidNick(String nick, int maxLength) {
        if (nick == null || nick.isEmpty() || nick.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < nick.length(); i++) {
            char c = nick.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean special = "[]\\`_^{|}".indexOf(c) >= 0;
            boolean digitOrDash = (c >= '0' && c <= '9') || c == '-';
            if (!(letter || special || (i > 0 && digitOrDash))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isChannel(String target) {
        return target != null && !target.isEmpty() && CHANTYPES.indexOf(target.charAt(0)) >= 0;
    }

    /**
     * A channel name starts with {@code #} or {@code &}, has at least one more character, at
     * most {@code maxLength} in all, and holds no space, comma, colon, BEL or control character.
     */
    public static boolean isValidChannel(String name, int maxLength) {
        if (!isChannel(name) || name.length() < 2 || name.length() > maxLength) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == ',' || c == ':' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** A user name (ident): printable, no spaces or '@', at most {@code maxLength} characters. */
    public static String sanitizeUser(String user, int maxLength) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < user.length() && sb.length() < maxLength; i++) {
            char c = user.charAt(i);
            if (c > ' ' && c != '@' && c != '!' && c != 0x7f) {
                sb.append(c);
            }
        }
        return sb.isEmpty() ? "user" : sb.toString();
    }
}
