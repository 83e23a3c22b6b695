package io.jvs.core.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** How often a thread of this JVM has been switched out, from /proc: to test that an idle thread sleeps. */
public final class ContextSwitches {
    private ContextSwitches() {
    }

    /**
     * Voluntary plus involuntary context switches so far of the one live thread whose name starts with
     * {@code name} (the kernel keeps the first 15 characters).
     */
    public static long of(final String name) {
        final String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            final Path task = tasks.filter(t -> comm.equals(read(t.resolve("comm")).strip()))
                    .reduce((a, b) -> {
                        throw new IllegalStateException("more than one thread named " + comm);
                    })
                    .orElseThrow(() -> new IllegalStateException("no thread named " + comm));
            long sum = 0;
            for (final String line : read(task.resolve("status")).split("\n")) {
                if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                    sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            return sum;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(final Path p) {
        try {
            return Files.readString(p);
        } catch (final IOException e) {
            return "";  // the task ended meanwhile
        }
    }
}
