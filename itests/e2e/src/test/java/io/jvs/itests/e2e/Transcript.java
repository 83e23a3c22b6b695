package io.jvs.itests.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell transcripts of a seed: every {@code [user@host dir]# command} line with the lines it printed (up to
 * the next prompt or blank line). A prompt without a command is skipped.
 */
final class Transcript {
    private static final Pattern PROMPT = Pattern.compile("^\\[[^\\]@]+@[^\\] ]+ ([^\\]]+)\\]#\\s*(.*)$");
    /** A realserver line of a listing whose trailing padding a web page has eaten. */
    private static final Pattern DEST = Pattern.compile("^  -> (\\S+)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$");

    /** One command typed at a prompt, with the seed line it is on and what it printed. */
    record Step(int line, String dir, String command, List<String> printed) {
        /** What it printed as bytes, one newline per line. */
        String expected() {
            final StringBuilder b = new StringBuilder();
            for (final String l : printed) {
                b.append(ipvsadmBytes(l)).append('\n');
            }
            return b.toString();
        }

        @Override
        public String toString() {
            return "seed line " + line + ": [" + dir + "]# " + command;
        }
    }

    private Transcript() {
    }

    static List<Step> read(final Path seed) throws IOException {
        final List<String> lines = Files.readAllLines(seed, StandardCharsets.UTF_8);
        final List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            final Matcher m = PROMPT.matcher(lines.get(i));
            if (!m.matches() || m.group(2).isBlank()) {
                continue;
            }
            final List<String> printed = new ArrayList<>();
            int j = i + 1;
            while (j < lines.size() && !lines.get(j).isBlank() && !PROMPT.matcher(lines.get(j)).matches()) {
                printed.add(lines.get(j));
                j++;
            }
            steps.add(new Step(i + 1, m.group(1), m.group(2).strip(), printed));
        }
        return steps;
    }

    /**
     * A listing line as ipvsadm writes it. The seed came through a web page that dropped trailing spaces; ipvsadm
     * prints realservers with {@code "  -> %-28s %-7s %-6d %-10u %-10u\n"}, so the last column is padded to 10.
     * Every other line is left as it is.
     */
    static String ipvsadmBytes(final String line) {
        final Matcher m = DEST.matcher(line);
        if (!m.matches()) {
            return line;
        }
        return String.format("  -> %-28s %-7s %-6s %-10s %-10s", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
    }
}
