package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatStateTest {
    private final ChatState s = new ChatState("alice");

    @Test
    void namesReplyFillsMembersWithoutPrefixesForCompletion() {
        s.joined("#c");
        s.members("#c", List.of("@alice", "+bob", "carol"));
        assertThat(s.completionWords()).containsExactly("alice", "bob", "carol", "#c");
    }

    @Test
    void firstJoinBecomesTheTargetAndPartingMovesOn() {
        s.joined("#a");
        s.joined("#b");
        assertThat(s.target()).isEqualTo("#a");
        s.left("#A");
        assertThat(s.target()).isEqualTo("#b");
        s.left("#b");
        assertThat(s.target()).isNull();
    }

    @Test
    void renameFollowsTheQueryTargetAndOwnNick() {
        s.joined("#c");
        s.addMember("#c", "bob");
        s.target("bob");
        s.renamed("Bob", "robert");
        assertThat(s.target()).isEqualTo("robert");
        assertThat(s.completionWords()).contains("robert").doesNotContain("bob");
        s.renamed("alice", "alicia");
        assertThat(s.nick()).isEqualTo("alicia");
        assertThat(s.isMe("ALICIA")).isTrue();
    }

    @Test
    void quitRemovesEverywhereAndDisconnectRemembersChannels() {
        s.joined("#a");
        s.joined("#b");
        s.addMember("#a", "bob");
        s.addMember("#b", "bob");
        assertThat(s.quit("bob")).containsExactly("#a", "#b");
        assertThat(s.disconnected()).containsExactly("#a", "#b");
        assertThat(s.channels()).isEmpty();
    }

    @Test
    void isupportChangesCaseMappingAndPrefixes() {
        s.isupport("CASEMAPPING", "ascii");
        assertThat(s.isMe("ALICE")).isTrue();
        s.isupport("PREFIX", "(qaohv)~&@%+");
        assertThat(s.stripMemberPrefixes("~&bob")).isEqualTo("bob");
        assertThat(s.stripStatusPrefix("@#ops")).isEqualTo("#ops");
        s.isupport("CHANTYPES", "#");
        assertThat(s.isChannel("&local")).isFalse();
    }
}
