package io.jvs.admin.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a restore text into argument vectors, one per line: words separated by blanks, quoted with ' or ",
 * backslash escapes the next character; a word starting with # begins a comment. A leading "ipvsadm" (or a path
 * ending in /ipvsadm) is dropped; lines without words are skipped.
 */
final class RestoreReader {
    /** One line with words: its 1-based number, its text and its words. */
    record Line(int number, String text, List<String> words) {
    }

    private RestoreReader() {
    }

    static List<Line> read(final Reader in) throws IOException {
        final BufferedReader r = in instanceof BufferedReader br ? br : new BufferedReader(in);
        final List<Line> lines = new ArrayList<>();
        int n = 0;
        for (String text = r.readLine(); text != null; text = r.readLine()) {
            n++;
            final List<String> words = words(text);
            if (!words.isEmpty() && (words.get(0).equals("ipvsadm") || words.get(0).endsWith("/ipvsadm"))) {
                words.remove(0);
            }
            if (!words.isEmpty()) {
                lines.add(new Line(n, text.strip(), words));
            }
        }
        return lines;
    }

    static List<String> words(final String text) {
        final List<String> words = new ArrayList<>();
        final StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    w.append(text.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '\\' && i + 1 < text.length()) {
                w.append(text.charAt(++i));
                inWord = true;
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else if (c == '#' && !inWord) {
                break;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
