package io.jvs.core.route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs iproute2's {@code ip} for the namespace tests, each call bounded in time. */
final class Ip {
    private static final long TIMEOUT_SECONDS = 10;
    private static final Path BINARY = Stream.concat(
                    Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                    Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"))
            .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "ip")).filter(Files::isExecutable)
            .findFirst().orElse(null);

    private Ip() {
    }

    static boolean available() {
        return BINARY != null;
    }

    static boolean root() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
    }

    /** Runs {@code ip args}; its output, or an AssertionError with it. */
    static String run(final String... args) {
        final List<String> command = new ArrayList<>(List.of(BINARY.toString()));
        command.addAll(List.of(args));
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after " + TIMEOUT_SECONDS + " s");
            }
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " failed: " + output);
            }
            return output;
        } catch (final IOException e) {
            throw new AssertionError(command + " did not start", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(command + " interrupted", e);
        }
    }

    /** Runs {@code ip -n namespace args}. */
    static String in(final String namespace, final String... args) {
        final List<String> all = new ArrayList<>(List.of("-n", namespace));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }
}
