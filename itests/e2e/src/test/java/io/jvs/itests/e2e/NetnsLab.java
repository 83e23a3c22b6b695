package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The project's network-namespace lab (itests/lab) driven from tests: brings a topology up, boots the built
 * appliance inside the director namespace with its data-plane interfaces, runs jvsadm and client commands,
 * and takes everything down again. Needs root; the lab's own install.sh fetches the Debian packages.
 */
final class NetnsLab implements AutoCloseable {
    static final String CLIENT = "jvs-cl";
    static final String DIRECTOR = "jvs-lb";

    private final Path lab = Path.of(Procs.property("jvs.lab"));
    private final Path image = Path.of(Procs.property("jvs.image"));
    private final Path state;
    private final Path socket;

    private final String javaOptions;

    NetnsLab(final String topology, final String dataplane) throws Exception {
        this(topology, dataplane, "");
    }

    /** @param javaOptions JVS_JAVA_OPTS of the appliance, e.g. data-plane settings as system properties */
    NetnsLab(final String topology, final String dataplane, final String javaOptions) throws Exception {
        this.javaOptions = javaOptions;
        state = Files.createTempDirectory("jvs-lab-state-");
        socket = state.resolve("jvs.sock");
        script("install.sh");
        script("up.sh", topology);
        if (topology.equals("nat")) {
            script("anchor.sh", "none");
        }
        final Procs.Result r = Procs.run(List.of("ip", "netns", "exec", DIRECTOR, image.resolve("bin/jvs").toString(),
                "start", "--dataplane", dataplane), env(), null, state, Duration.ofSeconds(90));
        assertEquals(0, r.exit(), r.toString());
    }

    /** The lab needs root (namespaces, veth, nftables, AF_PACKET). */
    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private Map<String, String> env() {
        return Map.of("JVS_STATE", state.toString(), "JVS_SOCKET", socket.toString(), "JVS_JAVA_OPTS", javaOptions);
    }

    private void script(final String name, final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of("bash", lab.resolve(name).toString()));
        cmd.addAll(List.of(args));
        final Procs.Result r = Procs.run(cmd, null, null, lab, Duration.ofMinutes(10));
        assertEquals(0, r.exit(), r.toString());
    }

    /** jvsadm inside the director namespace; fails the test unless it exits 0. */
    String jvsadm(final String... args) throws Exception {
        final Procs.Result r = jvsadmResult(null, args);
        assertEquals(0, r.exit(), r.toString());
        return r.out();
    }

    Procs.Result jvsadmResult(final byte[] stdin, final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", DIRECTOR,
                image.resolve("bin/jvsadm").toString()));
        cmd.addAll(List.of(args));
        return Procs.run(cmd, env(), stdin, state, Duration.ofSeconds(30));
    }

    /** {@code bin/jvs ARGS} of the appliance under test (in the director namespace); fails unless it exits 0. */
    String jvs(final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", DIRECTOR,
                image.resolve("bin/jvs").toString()));
        cmd.addAll(List.of(args));
        final Procs.Result r = Procs.run(cmd, env(), null, state, Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r.toString());
        return r.out();
    }

    /** A command in a lab namespace. */
    Procs.Result in(final String namespace, final String... command) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        cmd.addAll(List.of(command));
        return Procs.run(cmd, null, null, state, Duration.ofSeconds(60));
    }

    /** One HTTP request from the client with a fresh connection; the body, or "FAILED exit N". */
    String curl(final String url) throws Exception {
        final Procs.Result r = in(CLIENT, "curl", "-s", "-m", "5", url);
        return r.exit() == 0 ? r.out().strip() : "FAILED exit " + r.exit();
    }

    /** Keep-alive connections held open by the client (hold.py), requested on at will. */
    Holder hold(final String host, final int port, final int connections) throws IOException {
        final Path script = state.resolve("hold.py");
        try (var in = NetnsLab.class.getResourceAsStream("/hold.py")) {
            Files.write(script, in.readAllBytes());
        }
        final Process p = new ProcessBuilder("ip", "netns", "exec", CLIENT, "timeout", "120", "python3",
                script.toString(), host, Integer.toString(port), Integer.toString(connections))
                .redirectErrorStream(true).start();
        return new Holder(p, connections);
    }

    /** Runs a lab script (from the root namespace) and returns its result. */
    Procs.Result labScript(final String name, final String... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of("bash", lab.resolve(name).toString()));
        cmd.addAll(List.of(args));
        return Procs.run(cmd, null, null, lab, Duration.ofSeconds(60));
    }

    Path state() {
        return state;
    }

    @Override
    public void close() throws Exception {
        try {
            Procs.run(List.of("ip", "netns", "exec", DIRECTOR, image.resolve("bin/jvs").toString(), "stop"), env(),
                    null, state, Duration.ofSeconds(60));
        } finally {
            script("down.sh");
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Keep-alive connections of {@link #hold}. */
    static final class Holder implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final OutputStream in;
        private final int connections;

        Holder(final Process process, final int connections) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = process.getOutputStream();
            this.connections = connections;
        }

        /** The bodies of the latest round of requests, one per connection. */
        List<String> read() throws IOException {
            final List<String> lines = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                final String line = out.readLine();
                lines.add(line == null ? "EOF" : line);
            }
            return lines;
        }

        /** Requests once more on every connection. */
        List<String> again() throws IOException {
            in.write('\n');
            in.flush();
            return read();
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
