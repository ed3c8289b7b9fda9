package dev.parley.protocol;

/**
 * How nicknames and channel names compare. IRC's traditional {@code rfc1459} mapping treats
 * {@code []\~} as the upper-case forms of {@code {}|^}; {@code ascii} folds only A-Z.
 */
public enum CaseMapping {
    RFC1459("rfc1459"),
    ASCII("ascii");

    private final String token;

    CaseMapping(String token) {
        this.token = token;
    }

    /** The value of ISUPPORT's CASEMAPPING token. */
    public String token() {
        return token;
    }

    public char fold(char c) {
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + 32);
        }
        if (this == RFC1459) {
            switch (c) {
                case '[':
                    return '{';
                case ']':
                    return '}';
                case '\\':
                    return '|';
                case '~':
                    return '^';
                default:
                    return c;
            }
        }
        return c;
    }

    /** The folded (lower-case) form used as a map key. */
    public String fold(String s) {
        int i = 0;
        while (i < s.length() && fold(s.charAt(i)) == s.charAt(i)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        char[] out = s.toCharArray();
        for (; i < out.length; i++) {
            out[i] = fold(out[i]);
        }
        return new String(out);
    }

    public boolean equals(String a, String b) {
        return a.length() == b.length() && fold(a).equals(fold(b));
    }
}
