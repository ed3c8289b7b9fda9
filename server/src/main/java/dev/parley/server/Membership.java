package dev.parley.server;

/**
 * One client's standing in one channel: its prefix modes. Written under the hub lock, read
 * anywhere (volatile).
 */
public final class Membership {
    public static final int OP = 1;
    public static final int VOICE = 2;

    private volatile int modes;

    Membership(int modes) {
        this.modes = modes;
    }

    public boolean isOp() {
        return (modes & OP) != 0;
    }

    public boolean isVoiced() {
        return (modes & VOICE) != 0;
    }

    /** Caller holds the hub lock. */
    void setLocked(int flag, boolean on) {
        modes = on ? modes | flag : modes & ~flag;
    }

    /** The highest prefix ({@code @}, {@code +} or empty), or all of them for multi-prefix. */
    public String prefix(boolean all) {
        int m = modes;
        StringBuilder sb = new StringBuilder(2);
        if ((m & OP) != 0) {
            sb.append('@');
        }
        if ((m & VOICE) != 0 && (all || sb.isEmpty())) {
            sb.append('+');
        }
        return sb.toString();
    }
}
