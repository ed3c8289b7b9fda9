package dev.parley.protocol;

/** Wildcard masks as IRC uses them: {@code *} any run, {@code ?} any one character. */
public final class Masks {
    private Masks() {
    }

    /** True when {@code text} matches {@code mask}, comparing under {@code mapping}. */
    public static boolean matches(String mask, String text, CaseMapping mapping) {
        return glob(mapping.fold(mask), mapping.fold(text));
    }

    static boolean glob(String p, String t) {
        int pi = 0;
        int ti = 0;
        int star = -1;
        int mark = 0;
        while (ti < t.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == t.charAt(ti))) {
                pi++;
                ti++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = ti;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
