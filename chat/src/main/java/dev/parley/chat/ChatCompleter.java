package dev.parley.chat;

import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: slash commands as the first word, otherwise the nicks of the channels the
 * client is in, then the channel names. Names from the server with control characters or
 * formatting codes in them are not offered, so they never reach the line editor. Runs on the
 * input thread; reads only the immutable word list the chat loop publishes.
 */
final class ChatCompleter implements Completer {
    private final Supplier<List<String>> words;

    ChatCompleter(Supplier<List<String>> words) {
        this.words = words;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word();
        if (line.wordIndex() == 0 && word.startsWith("/")) {
            for (String name : UserCommands.names()) {
                candidates.add(new Candidate("/" + name));
            }
            return;
        }
        for (String w : words.get()) {
            if (Clean.text(w).equals(w)) {
                candidates.add(new Candidate(w));
            }
        }
    }
}
