package dev.parley.server.core;

/**
 * One client's standing in one channel: its prefix modes. Immutable; the four possible values
 * are shared, so a snapshot of a large channel costs one reference per member.
 */
public final class Membership {
    public static final int OP = 1;
    public static final int VOICE = 2;
    private static final Membership[] ALL = {new Membership(0), new Membership(1), new Membership(2), new Membership(3)};

    private final int modes;

    private Membership(int modes) {
        this.modes = modes;
    }

    /** The membership with exactly these prefix mode bits. */
    public static Membership of(int modes) {
        return ALL[modes & 3];
    }

    public boolean isOp() {
        return (modes & OP) != 0;
    }

    public boolean isVoiced() {
        return (modes & VOICE) != 0;
    }

    /** True when it holds {@code flag} ({@link #OP} or {@link #VOICE}). */
    public boolean has(int flag) {
        return (modes & flag) != 0;
    }

    /** This membership with {@code flag} set or cleared. */
    public Membership with(int flag, boolean on) {
        return of(on ? modes | flag : modes & ~flag);
    }

    /** The highest prefix ({@code @}, {@code +} or empty), or all of them for multi-prefix. */
    public String prefix(boolean all) {
        return switch (modes) {
            case 0 -> "";
            case OP -> "@";
            case VOICE -> "+";
            default -> all ? "@+" : "@";
        };
    }

    @Override
    public String toString() {
        return prefix(true);
    }
}
