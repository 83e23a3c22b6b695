package io.jvs.admin.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs ipvsadm invocations in tests and captures what they print. */
final class Cli {
    /** What one invocation did. */
    record Result(int status, String out, String err) {
    }

    private final Ipvsadm ipvsadm;

    Cli(final Ipvsadm ipvsadm) {
        this.ipvsadm = ipvsadm;
    }

    Result run(final String... argv) {
        return withInput("", argv);
    }

    Result withInput(final String stdin, final String... argv) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = ipvsadm.run(List.of(argv), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Splits a shell-like command line ("ipvsadm -A -t ...") into its words, without the program name. */
    Result line(final String commandLine) {
        final List<String> words = RestoreReader.words(commandLine);
        final int from = !words.isEmpty() && words.get(0).endsWith("ipvsadm") ? 1 : 0;
        return run(words.subList(from, words.size()).toArray(new String[0]));
    }

    static InetAddress ip(final String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
