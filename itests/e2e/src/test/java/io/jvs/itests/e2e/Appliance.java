package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One appliance of the built image (appliance-image/target/jvs), with its own JVS_STATE and JVS_SOCKET under a
 * directory of the test. {@link #close()} stops it, and kills it if {@code bin/jvs stop} does not.
 */
final class Appliance implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    final Path home;
    final Path state;
    final Path socket;

    Appliance(final Path dir) {
        this.home = home();
        this.state = dir.resolve("state");
        this.socket = dir.resolve("jvs.sock");
    }

    static Path home() {
        final Path home = Path.of(Procs.property("jvs.image")).toAbsolutePath().normalize();
        if (!Files.isExecutable(home.resolve("bin/jvs")) || !Files.exists(home.resolve("bin/ipvsadm"))) {
            throw new IllegalStateException("no appliance at " + home + ": build it first (mvn install -DskipTests -pl appliance-image -am)");
        }
        return home;
    }

    Map<String, String> env() {
        return Map.of("JVS_STATE", state.toString(), "JVS_SOCKET", socket.toString());
    }

    Appliance start() throws IOException, InterruptedException {
        final Procs.Result r = Procs.run(List.of(home.resolve("bin/jvs").toString(), "start"), env(), null,
                home, START_TIMEOUT.plusSeconds(30));
        assertEquals(0, r.exit(), () -> r + "\n--- jvs.log:\n" + log());
        return this;
    }

    Procs.Result stop() throws IOException, InterruptedException {
        return Procs.run(List.of(home.resolve("bin/jvs").toString(), "stop"), env(), null, home, Duration.ofSeconds(60));
    }

    /** Runs bin/{@code tool} (jvsadm or ipvsadm) with the arguments. */
    Procs.Result tool(final String tool, final byte[] stdin, final String... args) throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin").resolve(tool).toString());
        cmd.addAll(List.of(args));
        return Procs.run(cmd, env(), stdin, home, COMMAND_TIMEOUT);
    }

    Procs.Result ipvsadm(final String... args) throws IOException, InterruptedException {
        return tool("ipvsadm", null, args);
    }

    Procs.Result jvsadm(final String... args) throws IOException, InterruptedException {
        return tool("jvsadm", null, args);
    }

    /** A shell command line, as typed at a prompt, with bin/ first on PATH (so "ipvsadm" is ours). */
    Procs.Result shell(final String commandLine, final Path cwd) throws IOException, InterruptedException {
        final Map<String, String> env = new java.util.HashMap<>(env());
        env.put("PATH", home.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return Procs.run(List.of("bash", "-c", commandLine), env, null, cwd, COMMAND_TIMEOUT);
    }

    /** {@code -Sn} of the table, asserted to succeed. */
    String saveNumeric() throws IOException, InterruptedException {
        final Procs.Result r = jvsadm("-Sn");
        assertEquals(0, r.exit(), r::toString);
        return r.out();
    }

    String log() {
        try {
            final Path log = state.resolve("jvs.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no " + log + ")";
        } catch (final IOException e) {
            return "(cannot read jvs.log: " + e + ")";
        }
    }

    Optional<ProcessHandle> process() {
        try {
            final Path pidFile = state.resolve("jvs.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
        } catch (final IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the process still runs, waiting up to 15 s for it to end. An exited appliance is re-parented to
     * init and may be a zombie for a moment (ProcessHandle says "alive" for it): that counts as ended.
     */
    private static boolean running(final ProcessHandle p) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive() || zombie(p.pid())) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return p.isAlive() && !zombie(p.pid());
    }

    private static boolean zombie(final long pid) {
        try {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (final IOException | RuntimeException e) {
            return true; // gone
        }
    }

    /** Stops the appliance (bounded); kills it if it is still alive after that. Never throws. */
    @Override
    public void close() {
        final Optional<ProcessHandle> before = process();
        try {
            stop();
        } catch (final Exception | AssertionError e) {
            System.err.println("jvs stop failed for " + state + ": " + e);
        }
        before.filter(Appliance::running).ifPresent(p -> {
            System.err.println("appliance pid " + p.pid() + " survived jvs stop; killing it");
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }
}
