package dev.parley.chat;

import dev.parley.protocol.CaseMapping;
import org.jline.utils.AttributedStyle;

/**
 * Gives every nick the same colour every time, in every session: a hash of its case-folded
 * form picks one of twelve readable terminal colours. Pure; any thread.
 */
final class NickColors {
    private static final int[] PALETTE = {
        AttributedStyle.RED, AttributedStyle.GREEN, AttributedStyle.YELLOW,
        AttributedStyle.BLUE, AttributedStyle.MAGENTA, AttributedStyle.CYAN,
        AttributedStyle.RED | AttributedStyle.BRIGHT, AttributedStyle.GREEN | AttributedStyle.BRIGHT,
        AttributedStyle.YELLOW | AttributedStyle.BRIGHT, AttributedStyle.BLUE | AttributedStyle.BRIGHT,
        AttributedStyle.MAGENTA | AttributedStyle.BRIGHT, AttributedStyle.CYAN | AttributedStyle.BRIGHT,
    };

    private NickColors() {
    }

    /** The palette index for {@code nick}: FNV-1a over the folded nick, stable across runs. */
    static int index(String nick, CaseMapping mapping) {
        String folded = mapping.fold(nick);
        int h = 0x811c9dc5;
        for (int i = 0; i < folded.length(); i++) {
            h ^= folded.charAt(i);
            h *= 0x01000193;
        }
        return Math.floorMod(h, PALETTE.length);
    }

    static AttributedStyle style(String nick, CaseMapping mapping) {
        return AttributedStyle.DEFAULT.foreground(PALETTE[index(nick, mapping)]);
    }
}
