package dev.parley.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The format of the scanner's bundled data tables ({@code services.txt}, {@code
 * top-ports.txt}): one entry a line, {@code #} starts a comment, blank lines are skipped.
 */
final class BundledTable {
    private BundledTable() {
    }

    /** Takes one entry: its text without comment or surrounding blanks, and its line number. */
    interface Entry {
        void accept(String text, int lineNo) throws IOException;
    }

    /** Makes a table from its lines. */
    interface Parser<T> {
        T parse(BufferedReader reader) throws IOException;
    }

    /** Hands every entry of {@code reader} to {@code entry}, in order. */
    static void read(BufferedReader reader, Entry entry) throws IOException {
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!text.isEmpty()) {
                entry.accept(text, lineNo);
            }
        }
    }

    /** Parses the bundled {@code resource} (UTF-8) beside this class. */
    static <T> T load(String resource, Parser<T> parser) {
        try (InputStream in = BundledTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + resource + " is missing");
            }
            return parser.parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
