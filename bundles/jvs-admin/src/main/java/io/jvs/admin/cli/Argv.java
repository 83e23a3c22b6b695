package io.jvs.admin.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks an argument vector the way popt does for ipvsadm: clustered short options ({@code -Lnc}), an argument
 * glued to its letter ({@code -w2}, {@code -w=2}) or in the next word, {@code --long=value}, an optional argument
 * taken from the next word unless it starts with '-', "--" ending the options, and non-option words kept as
 * leftovers wherever they appear.
 */
final class Argv {
    /** One option occurrence; {@code word} is the argv element it came from, for error messages. */
    record Hit(Option option, String value, String word) {
    }

    private final List<String> args;
    private final List<String> leftovers = new ArrayList<>();
    private int next;
    private String cluster;
    private String clusterWord;
    private boolean optionsEnded;

    Argv(final List<String> args) {
        this.args = args;
    }

    /** The next option, or null when the vector is exhausted. */
    Hit next() throws CliFailure {
        while (true) {
            if (cluster != null) {
                return shortOption();
            }
            if (next >= args.size()) {
                return null;
            }
            final String w = args.get(next++);
            if (optionsEnded || w.length() < 2 || w.charAt(0) != '-') {
                leftovers.add(w);
            } else if (w.equals("--")) {
                optionsEnded = true;
            } else if (w.charAt(1) == '-') {
                return longOption(w);
            } else {
                cluster = w.substring(1);
                clusterWord = w;
            }
        }
    }

    /** Non-option words, in order. */
    List<String> leftovers() {
        return leftovers;
    }

    private Hit shortOption() throws CliFailure {
        final String word = clusterWord;
        final Option o = Option.byShort(cluster.charAt(0));
        String rest = cluster.substring(1);
        if (rest.startsWith("=")) {
            rest = rest.substring(1);
        }
        cluster = rest.isEmpty() ? null : rest;
        if (o == null) {
            cluster = null;
            throw CliFailure.popt(word, "unknown option");
        }
        if (o.arg() == Option.Arg.NONE) {
            return new Hit(o, null, word);
        }
        if (cluster != null) {
            final String value = cluster;
            cluster = null;
            return new Hit(o, value, word);
        }
        return fromNextWord(o, word);
    }

    private Hit longOption(final String w) throws CliFailure {
        String name = w.substring(2);
        String value = null;
        final int eq = name.indexOf('=');
        if (eq >= 0) {
            value = name.substring(eq + 1);
            name = name.substring(0, eq);
        }
        final Option o = Option.byLong(name);
        if (o == null) {
            throw CliFailure.popt(w, "unknown option");
        }
        if (o.arg() == Option.Arg.NONE) {
            if (value != null) {
                throw CliFailure.popt(w, "option does not take an argument");
            }
            return new Hit(o, null, w);
        }
        return value != null ? new Hit(o, value, w) : fromNextWord(o, w);
    }

    private Hit fromNextWord(final Option o, final String word) throws CliFailure {
        if (next >= args.size()) {
            if (o.arg() == Option.Arg.OPTIONAL) {
                return new Hit(o, null, word);
            }
            throw CliFailure.popt(word, "missing argument");
        }
        final String s = args.get(next);
        if (o.arg() == Option.Arg.OPTIONAL && s.startsWith("-")) {
            return new Hit(o, null, word);
        }
        next++;
        return new Hit(o, s, word);
    }
}
