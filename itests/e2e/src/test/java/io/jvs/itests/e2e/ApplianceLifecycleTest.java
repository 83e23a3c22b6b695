package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance as a process: its table survives restarts, a corrupt state file never replaces the last good
 * one, two appliances are independent, -R is all or nothing, and the control socket refuses other protocol
 * versions clearly.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ApplianceLifecycleTest {
    private static final int MAGIC = 0x4a565343; // "JVSC"

    @TempDir
    Path tmp;
    private final List<Appliance> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Appliance::close);
    }

    private Appliance appliance(final String name) throws Exception {
        final Appliance a = new Appliance(tmp.resolve(name));
        started.add(a);
        return a.start();
    }

    private static void ok(final Procs.Result r) {
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void usesTransparentHugePagesWhereTheKernelOffersThem() throws Exception {
        final Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        final boolean offered = Files.isReadable(thp) && !Files.readString(thp).contains("[never]");
        final Appliance a = appliance("thp");
        final String[] args = a.process().orElseThrow().info().arguments().orElseThrow();
        assertEquals(offered, List.of(args).contains("-XX:+UseTransparentHugePages"), String.join(" ", args));
    }

    @Test
    void runsWithoutDeoptimisationTrapsOrThePerfDataSampler() throws Exception {
        final Appliance a = appliance("jit");
        final ProcessHandle p = a.process().orElseThrow();
        final String[] args = p.info().arguments().orElseThrow();
        assertTrue(List.of(args).contains("-XX:PerMethodTrapLimit=0"), String.join(" ", args));
        // HotSpot keeps perf data in /tmp whatever java.io.tmpdir says; this JVM's own file checks the path.
        final Path perfData = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"));
        assertTrue(Files.exists(perfData.resolve(Long.toString(ProcessHandle.current().pid()))), perfData::toString);
        assertFalse(Files.exists(perfData.resolve(Long.toString(p.pid()))), "the appliance keeps no perf data");
    }

    @Test
    void tableSurvivesARestart() throws Exception {
        final Appliance a = appliance("a");
        ok(a.ipvsadm("-A", "-t", "10.0.0.1:80", "-s", "wrr", "-p", "600"));
        ok(a.ipvsadm("-a", "-t", "10.0.0.1:80", "-r", "192.168.0.1:80", "-m", "-w", "5"));
        ok(a.ipvsadm("-A", "-u", "10.0.0.1:53", "-s", "sh"));
        ok(a.ipvsadm("-a", "-u", "10.0.0.1:53", "-r", "192.168.0.2", "-i"));
        ok(a.ipvsadm("--set", "900", "60", "120"));
        final String saved = a.saveNumeric();
        final String listing = a.ipvsadm("-Ln").out();
        ok(a.stop());
        assertFalse(a.process().isPresent(), "stopped");
        assertFalse(Files.exists(a.socket), "socket removed at stop");

        a.start();
        assertEquals(saved, a.saveNumeric());
        assertEquals(listing, a.ipvsadm("-Ln").out());
        assertEquals("Timeout (tcp tcpfin udp): 900 60 120\n", a.ipvsadm("-L", "--timeout").out());
        assertTrue(a.log().contains("Restored 2 service(s)"), a::log);
    }

    @Test
    void corruptStateFileIsKeptAsideAndThePreviousGoodTableUsed() throws Exception {
        final Appliance a = appliance("a");
        ok(a.ipvsadm("-A", "-t", "10.0.0.1:80", "-s", "rr"));
        ok(a.ipvsadm("-a", "-t", "10.0.0.1:80", "-r", "192.168.0.1:80", "-m"));
        final String previousGood = a.saveNumeric();
        ok(a.ipvsadm("-A", "-t", "10.0.0.2:80", "-s", "rr")); // the last change: table.conf; the one before: .prev
        ok(a.stop());

        final Path current = a.state.resolve("table.conf");
        final byte[] whole = Files.readAllBytes(current);
        final byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
        Files.write(current, truncated);

        a.start();
        assertEquals(previousGood, a.saveNumeric(), "started with the previous good table");
        final Path aside = onlyCorruptFile(a.state);
        assertArrayEquals(truncated, Files.readAllBytes(aside), "the corrupt file is kept as it was");
        final String log = a.log();
        assertTrue(log.contains("State file " + current + " is corrupt"), log);
        assertTrue(log.contains("kept it as " + aside), "log says where the corrupt file is: " + log);
        // table.conf is good again (the previous table, saved as current).
        ok(a.stop());
        a.start();
        assertEquals(previousGood, a.saveNumeric());

        // An empty table.conf is corrupt too, never "an empty table".
        ok(a.stop());
        Files.write(current, new byte[0]);
        a.start();
        assertEquals(previousGood, a.saveNumeric());
        try (Stream<Path> s = Files.list(a.state)) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().startsWith("table.conf.corrupt-")).count());
        }
    }

    @Test
    void twoAppliancesSideBySideHaveIndependentTables() throws Exception {
        final Appliance a = appliance("a");
        final Appliance b = appliance("b");
        assertNotEquals(a.process().orElseThrow().pid(), b.process().orElseThrow().pid());
        ok(a.ipvsadm("-A", "-t", "10.0.0.1:80", "-s", "rr"));
        ok(b.ipvsadm("-A", "-u", "10.0.0.2:53", "-s", "wlc"));
        ok(b.ipvsadm("-a", "-u", "10.0.0.2:53", "-r", "192.168.0.9:53", "-m"));
        assertEquals("-A -t 10.0.0.1:80 -s rr\n", a.saveNumeric());
        assertEquals("-A -u 10.0.0.2:53 -s wlc\n-a -u 10.0.0.2:53 -r 192.168.0.9:53 -m -w 1\n", b.saveNumeric());
        ok(a.ipvsadm("-C"));
        assertEquals("", a.saveNumeric());
        assertEquals("-A -u 10.0.0.2:53 -s wlc\n-a -u 10.0.0.2:53 -r 192.168.0.9:53 -m -w 1\n", b.saveNumeric());
        ok(a.stop());
        assertTrue(b.ipvsadm("-Ln").out().contains("UDP  10.0.0.2:53 wlc"), "b still serves after a stopped");
    }

    @Test
    void restoreIsAtomicAndNamesTheBadLine() throws Exception {
        final Appliance a = appliance("a");
        ok(a.ipvsadm("-A", "-t", "10.0.0.1:80", "-s", "rr"));
        final String before = a.saveNumeric();

        final String bad = "-A -t 10.0.0.2:80 -s rr\n"
                + "-a -t 10.0.0.2:80 -r 192.168.0.1:80 -m -w 1\n"
                + "-a -t 10.0.0.2:80 -r 192.168.0.2:80 -m -w 70000\n"
                + "-A -t 10.0.0.3:80 -s wlc\n";
        final Procs.Result r = a.tool("ipvsadm", bad.getBytes(StandardCharsets.UTF_8), "-R");
        assertNotEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("line 3"), "names the line number: " + r.err());
        assertTrue(r.err().contains("-a -t 10.0.0.2:80 -r 192.168.0.2:80 -m -w 70000"), "quotes the line: " + r.err());
        assertEquals(before, a.saveNumeric(), "nothing of the restore applied");

        // A refusal by the table (not the parser) is atomic too: line 2 duplicates a service of line 1.
        final Procs.Result dup = a.tool("ipvsadm",
                "-A -t 10.0.0.4:80 -s rr\n-A -t 10.0.0.1:80 -s rr\n".getBytes(StandardCharsets.UTF_8), "-R");
        assertNotEquals(0, dup.exit(), dup::toString);
        assertTrue(dup.err().startsWith("line 2: "), dup.err());
        assertEquals(before, a.saveNumeric());

        // And after a restart the failed restores have left no trace.
        ok(a.stop());
        a.start();
        assertEquals(before, a.saveNumeric());
    }

    @Test
    void clientOfAnotherProtocolVersionGetsAClearError() throws Exception {
        final Appliance a = appliance("a");
        // A client speaking version 2: magic, version, then whatever version 2 would send.
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(a.socket));
            final DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            out.writeInt(MAGIC);
            out.writeShort(2);
            out.write(new byte[] {0, 1, 0, 0, 0, 3, 'v', '2', '!'});
            out.flush();
            final DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            assertEquals(MAGIC, in.readInt());
            assertEquals(1, in.readUnsignedShort(), "the appliance answers in its own version");
            assertEquals(2, in.readInt(), "exit code for a protocol error");
            assertEquals(0, in.readInt(), "no stdout");
            final byte[] err = new byte[in.readInt()];
            in.readFully(err);
            final String message = new String(err, StandardCharsets.UTF_8);
            assertTrue(message.contains("control protocol version 2 is not supported")
                    && message.contains("version 1"), message);
        }
        // Not our protocol at all: the connection is dropped, the appliance goes on serving.
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(a.socket));
            ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            final ByteArrayOutputStream got = new ByteArrayOutputStream();
            final ByteBuffer buf = ByteBuffer.allocate(256);
            while (ch.read(buf) > 0) {
                got.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            assertEquals(0, got.size(), "no answer to a stranger");
        }
        ok(a.ipvsadm("-Ln"));
        assertTrue(a.log().contains("Control request failed"), a::log);
    }

    @Test
    void jvsadmTalkingToAServerOfAnotherVersionSaysSo() throws Exception {
        // A fake appliance that answers in protocol version 2.
        final Path socket = tmp.resolve("v2.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            final CompletableFuture<Void> serve = CompletableFuture.runAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    final DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                    in.readInt();
                    in.readUnsignedShort();
                    final DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                    out.writeInt(MAGIC);
                    out.writeShort(2);
                    out.writeInt(0);
                    out.flush();
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            final Path home = Appliance.home();
            final Procs.Result r = Procs.run(List.of(home.resolve("bin/jvsadm").toString(), "-Ln"),
                    java.util.Map.of("JVS_SOCKET", socket.toString()), null, tmp, Duration.ofSeconds(60));
            serve.get(30, TimeUnit.SECONDS);
            assertEquals(2, r.exit(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().contains("control protocol version 2 is not supported by this side"), r.err());
        }
    }

    private static Path onlyCorruptFile(final Path state) throws IOException {
        try (Stream<Path> s = Files.list(state)) {
            final List<Path> aside = s.filter(p -> p.getFileName().toString().startsWith("table.conf.corrupt-")).toList();
            assertEquals(1, aside.size(), "corrupt files kept: " + aside);
            return aside.get(0);
        }
    }
}
