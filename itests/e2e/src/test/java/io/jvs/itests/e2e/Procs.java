package io.jvs.itests.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Child processes with a deadline: output to files (no pipe can fill up), killed with their children on timeout. */
final class Procs {
    private Procs() {
    }

    record Result(List<String> command, int exit, String out, String err) {
        @Override
        public String toString() {
            return "`" + String.join(" ", command) + "` exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
        }
    }

    static String property(final String key) {
        final String v = System.getProperty(key);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IllegalStateException("system property " + key + " is not set: run through Maven (mvn test -pl itests/e2e)");
        }
        return v;
    }

    static Result run(final List<String> command, final Map<String, String> env, final byte[] stdin, final Path dir,
                      final Duration timeout) throws IOException, InterruptedException {
        final Path out = Files.createTempFile("jvs-e2e-", ".out");
        final Path err = Files.createTempFile("jvs-e2e-", ".err");
        final Path in = Files.createTempFile("jvs-e2e-", ".in");
        try {
            Files.write(in, stdin == null ? new byte[0] : stdin);
            final ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in.toFile());
            if (env != null) {
                pb.environment().putAll(env);
            }
            final Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n--- stdout:\n" + Files.readString(out) + "--- stderr:\n" + Files.readString(err));
            }
            return new Result(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }
}
