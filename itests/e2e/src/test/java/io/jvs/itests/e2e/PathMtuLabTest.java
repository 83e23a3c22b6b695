package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Packets larger than the MTU of the path out of the NAT director, handled as the kernel's IPVS does: a packet with
 * DF is dropped and answered with ICMP "fragmentation needed" (type 3 code 4) carrying the path's MTU, from the VIP
 * towards the client and from the DIP towards a realserver, so the sender's kernel lowers its path MTU and TCP goes
 * on; a packet without DF is sent as fragments the realserver reassembles. The path MTU is the MTU of the kernel's
 * route to the next hop ({@code ip route ... mtu}) or of the outgoing link ({@code ip link set ... mtu}), both
 * followed live by the core. And the director is a hop: the TTL is decremented, and a packet it runs out in is
 * answered with ICMP time exceeded. Checked from the senders' side (their route cache, an nft counter of the ICMP they
 * received, the bytes that arrived) and from the director's ({@code drop_frag_needed}, {@code fragmented}); after
 * each case the MTUs are restored and ordinary HTTP must still pass the VIP (an oversized frame must not block a
 * transmit ring). The case that changes a link's MTU runs last: on a director that wedges its ring on an oversized
 * frame it would otherwise fail the cases after it.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class PathMtuLabTest {
    private static final String VIP = "10.77.1.100";
    private static final String CLIENT_IP = "10.77.1.2";
    private static final String DIP = "10.77.2.1";
    private static final List<String> RIPS = List.of("10.77.2.11", "10.77.2.12", "10.77.2.13");
    private static final int PATH_MTU = 1400;
    /** Bytes of each bounded TCP transfer: about 1,400 full-size segments. */
    private static final int TRANSFER_BYTES = 2 * 1024 * 1024;
    /** Seconds a transfer may go without progress before it counts as stalled (it takes well under one). */
    private static final int IDLE_SECONDS = 5;
    private static final int TCP_PORT = 9001;
    private static final int UDP_PORT = 9000;
    /** A UDP payload whose IP packet is 1500 bytes: one MTU of the links, 100 more than the path's. */
    private static final int UDP_PAYLOAD = 1472;
    private static final String NFT_TABLE = "jvs_e2e_pmtu";
    private static final Pattern MTU = Pattern.compile("\\bmtu (\\d+)\\b");
    private static final String FRAG_NEEDED = "icmp type destination-unreachable icmp code frag-needed";

    /** The traffic of the cases: one bounded TCP transfer or UDP exchange per run, every socket operation timed. */
    private static final String HELPER_PY = """
            import socket
            import sys

            IP_MTU_DISCOVER, IP_PMTUDISC_DONT, IP_RECVTTL = 10, 0, 12  # linux/in.h (not in every Python's socket)
            CHUNK = 65536


            def listen(kind, port, idle):
                s = socket.socket(socket.AF_INET, kind)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("0.0.0.0", port))
                if kind == socket.SOCK_STREAM:
                    s.listen(1)
                s.settimeout(idle)
                print("ready", flush=True)
                return s


            def accept(port, idle):
                conn, _ = listen(socket.SOCK_STREAM, port, idle).accept()
                conn.settimeout(idle)
                return conn


            def receive_all(sock):
                \"""Bytes received until EOF, and whether EOF came before a recv waited the socket's timeout.\"""
                total = 0
                try:
                    while True:
                        data = sock.recv(CHUNK)
                        if not data:
                            return total, True
                        total += len(data)
                except socket.timeout:
                    return total, False


            def main():
                mode, a = sys.argv[1], sys.argv[2:]
                if mode == "tcp-sink":  # PORT IDLE_S: one connection, read to EOF, answer the byte count
                    conn = accept(int(a[0]), float(a[1]))
                    total, eof = receive_all(conn)
                    print("received %d%s" % (total, "" if eof else ", then nothing for %s s" % a[1]), flush=True)
                    if eof:
                        conn.sendall(b"%d" % total)
                    conn.close()
                elif mode == "tcp-source":  # PORT BYTES IDLE_S: one connection, send BYTES, close
                    conn = accept(int(a[0]), float(a[2]))
                    conn.sendall(bytes(int(a[1])))
                    conn.close()
                    print("sent %s" % a[1], flush=True)
                elif mode == "tcp-put":  # HOST PORT BYTES IDLE_S: send BYTES, print what the sink counted
                    size, idle = int(a[2]), float(a[3])
                    s = socket.create_connection((a[0], int(a[1])), timeout=idle)
                    sent, block = 0, bytes(CHUNK)
                    try:
                        while sent < size:
                            sent += s.send(block[:min(CHUNK, size - sent)])
                        s.shutdown(socket.SHUT_WR)
                    except socket.timeout:
                        print("stalled: %d of %d bytes taken by the socket, then none for %s s" % (sent, size, a[3]))
                        sys.exit(1)
                    answer, eof = b"", False
                    try:
                        while True:
                            data = s.recv(CHUNK)
                            if not data:
                                eof = True
                                break
                            answer += data
                    except socket.timeout:
                        pass
                    if not eof:
                        print("stalled: sent %d bytes, no answer from the realserver for %s s" % (sent, a[3]))
                        sys.exit(1)
                    print("sent %d, the realserver received %s" % (sent, answer.decode()))
                elif mode == "tcp-get":  # HOST PORT IDLE_S: print the bytes received until EOF
                    s = socket.create_connection((a[0], int(a[1])), timeout=float(a[2]))
                    total, eof = receive_all(s)
                    print("received %d%s" % (total, "" if eof else ", then nothing for %s s: stalled" % a[2]))
                    sys.exit(0 if eof else 1)
                elif mode == "udp-listen":  # PORT IDLE_S: print each datagram's length and answer it, until idle
                    s = listen(socket.SOCK_DGRAM, int(a[0]), float(a[1]))
                    try:
                        while True:
                            data, peer = s.recvfrom(65535)
                            print(len(data), flush=True)
                            s.sendto(b"%d" % len(data), peer)
                    except socket.timeout:
                        pass
                elif mode == "udp-ttl-listen":  # PORT IDLE_S: print the TTL each datagram arrived with, until idle
                    s = listen(socket.SOCK_DGRAM, int(a[0]), float(a[1]))
                    s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
                    try:
                        while True:
                            _, ancillary, _, _ = s.recvmsg(65535, socket.CMSG_SPACE(4))
                            for level, kind, data in ancillary:
                                if level == socket.IPPROTO_IP and kind == socket.IP_TTL:
                                    print("ttl %d" % int.from_bytes(data[:4], sys.byteorder), flush=True)
                    except socket.timeout:
                        pass
                elif mode == "udp-ttl":  # HOST PORT TTL: one datagram sent with that TTL
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, int(a[2]))
                    s.sendto(b"ttl", (a[0], int(a[1])))
                elif mode == "udp-send":  # HOST PORT SIZE TRIES: SIZE bytes without DF, a second apart, until answered
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
                    s.settimeout(1.0)
                    for _ in range(int(a[3])):
                        s.sendto(bytes(int(a[2])), (a[0], int(a[1])))
                        try:
                            data, peer = s.recvfrom(256)
                            print("answer %s from %s:%d" % (data.decode(), peer[0], peer[1]), flush=True)
                            sys.exit(0)
                        except socket.timeout:
                            print("no answer within 1 s", flush=True)
                    sys.exit(1)


            main()
            """;

    private static NetnsLab lab;

    @BeforeAll
    static void up() throws Exception {
        assumeTrue(NetnsLab.isRoot(), "the netns lab needs root");
        lab = new NetnsLab("nat", "ext0,int0");
    }

    @AfterAll
    static void down() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    /** An empty table but the HTTP service every case checks the director with afterwards. */
    @BeforeEach
    void httpService() throws Exception {
        lab.jvsadm("-C");
        lab.jvsadm("-A", "-t", VIP + ":80", "-s", "rr");
        for (final String rip : RIPS) {
            lab.jvsadm("-a", "-t", VIP + ":80", "-r", rip + ":80", "-m");
        }
        assertHttpThroughTheVip("before the case");
    }

    /**
     * Route MTU 1400 towards the realservers (the links stay at 1500): the client's full-size DF segments of an
     * upload are answered with ICMP fragmentation needed from the VIP, its kernel lowers the path MTU to the VIP to
     * 1400, and the upload completes.
     */
    @Test
    void a_routeMtuTowardsTheRealserversLowersTheClientsPathMtuAndTheUploadCompletes() throws Exception {
        oneRealserver("-t", TCP_PORT, RIPS.get(0));
        assertNoPathMtu(NetnsLab.CLIENT, VIP);
        final Map<String, Long> before = counters();
        thenRestore(() -> {
            routeMtu(true);
            countIcmp(NetnsLab.CLIENT, VIP, FRAG_NEEDED);
            try (Helper sink = Helper.start("jvs-rs1", "tcp-sink", TCP_PORT, IDLE_SECONDS)) {
                final Procs.Result put = client("tcp-put", VIP, TCP_PORT, TRANSFER_BYTES, IDLE_SECONDS);
                final String upload = "the upload of " + TRANSFER_BYTES + " bytes from the client to rs1 through the "
                        + "VIP, route MTU " + PATH_MTU + " towards the realservers: " + put.out().strip() + " (rs1: "
                        + sink.output().replace("ready", "").strip() + ")";
                assertEquals(0, put.exit(), upload + "\n" + put.err());
                assertEquals("sent " + TRANSFER_BYTES + ", the realserver received " + TRANSFER_BYTES,
                        put.out().strip(), upload);
            }
            assertPathMtu(NetnsLab.CLIENT, VIP, "the client's path MTU to the VIP");
            final long icmp = icmpCount(NetnsLab.CLIENT);
            assertTrue(icmp >= 1, "the client received ICMP fragmentation needed from the VIP (nft counter: " + icmp
                    + ")");
            final long dropped = assertGrew(before, counters(), "drop_frag_needed");
            System.out.println("PathMtuLabTest upload: " + icmp + " ICMP fragmentation needed from the VIP, "
                    + "drop_frag_needed +" + dropped);
        }, () -> {
            routeMtu(false);
            lab.in(NetnsLab.CLIENT, "nft", "delete", "table", "inet", NFT_TABLE);
            lab.in(NetnsLab.CLIENT, "ip", "route", "flush", "cache");
        }, "after the route MTU was removed");
    }

    /**
     * Route MTU 1400 towards the realservers, and a 1500-byte UDP datagram without DF from the client to a UDP
     * service on the VIP: the director sends it as fragments, and the realserver reassembles and receives it whole.
     */
    @Test
    void b_aDatagramWithoutDfOverTheRouteMtuIsFragmentedAndArrivesWhole() throws Exception {
        final String rs = "jvs-rs3";
        oneRealserver("-u", UDP_PORT, RIPS.get(2));
        assertNoPathMtu(NetnsLab.CLIENT, VIP);
        final Map<String, Long> before = counters();
        thenRestore(() -> {
            routeMtu(true);
            final Procs.Result sent;
            final long reassembled;
            final List<String> lengths;
            try (Helper listener = Helper.start(rs, "udp-listen", UDP_PORT, IDLE_SECONDS)) {
                final long reassembledBefore = ipCounter(rs, "ReasmOKs");
                sent = client("udp-send", VIP, UDP_PORT, UDP_PAYLOAD, 3);
                reassembled = ipCounter(rs, "ReasmOKs") - reassembledBefore;
                lengths = listener.output().lines().filter(l -> !l.equals("ready")).toList();
            }
            final String seen = "the client: " + sent.out().strip().replace('\n', ' ') + "; rs3 received datagrams of "
                    + lengths + " bytes and reassembled " + reassembled;
            assertEquals(0, sent.exit(), "the " + UDP_PAYLOAD + "-byte datagram without DF was answered: " + seen
                    + "\n" + sent.err());
            assertTrue(sent.out().contains("answer " + UDP_PAYLOAD + " from " + VIP + ":" + UDP_PORT), seen);
            assertFalse(lengths.isEmpty(), seen);
            for (final String length : lengths) {
                assertEquals(Integer.toString(UDP_PAYLOAD), length, "the datagram arrived whole: " + seen);
            }
            assertTrue(reassembled >= 1, "the director sent the 1500-byte packet as fragments for the route MTU "
                    + PATH_MTU + ", and rs3 reassembled them (IpReasmOKs): " + seen);
            final long fragmented = assertGrew(before, counters(), "fragmented");
            System.out.println("PathMtuLabTest datagram without DF: " + seen + "; fragmented +" + fragmented);
        }, () -> {
            routeMtu(false);
            lab.in(NetnsLab.CLIENT, "ip", "route", "flush", "cache");
        }, "after the route MTU was removed");
    }

    /**
     * The director is a hop, as IPVS since Linux 4.3 ({@code decrement_ttl}): a datagram that reaches it with TTL 2
     * arrives at the realserver with TTL 1; one with TTL 1 is dropped and the client gets ICMP time exceeded from the
     * VIP.
     */
    @Test
    void c_theTtlIsDecrementedAndOneThatRunsOutIsAnsweredWithTimeExceededFromTheVip() throws Exception {
        final String rs = "jvs-rs3";
        oneRealserver("-u", UDP_PORT, RIPS.get(2));
        final Map<String, Long> before = counters();
        thenRestore(() -> {
            countIcmp(NetnsLab.CLIENT, VIP, "icmp type time-exceeded");
            final List<String> ttls;
            final String heard;
            try (Helper listener = Helper.start(rs, "udp-ttl-listen", UDP_PORT, IDLE_SECONDS)) {
                for (final int ttl : new int[] {1, 2}) {
                    final Procs.Result sent = client("udp-ttl", VIP, UDP_PORT, ttl);
                    assertEquals(0, sent.exit(), sent.toString());
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (listener.output().lines().noneMatch(l -> l.startsWith("ttl"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(300);    // time for a second datagram, were one to come
                heard = listener.output();
                ttls = heard.lines().filter(l -> l.startsWith("ttl")).toList();
            }
            assertEquals(List.of("ttl 1"), ttls, "rs3 received only the datagram sent with TTL 2, one hop older: "
                    + heard + "\n" + lab.jvs("dataplane"));
            final long icmp = icmpCount(NetnsLab.CLIENT);
            assertEquals(1, icmp, "the client received ICMP time exceeded from the VIP (nft counter)");
            final long dropped = assertGrew(before, counters(), "drop_ttl");
            System.out.println("PathMtuLabTest TTL: rs3 saw " + ttls + ", the client " + icmp
                    + " time exceeded from the VIP, drop_ttl +" + dropped);
        }, () -> lab.in(NetnsLab.CLIENT, "nft", "delete", "table", "inet", NFT_TABLE), "after the TTL case");
    }

    /**
     * Link MTU 1400 on ext0 (towards the client), changed live: the realserver's full-size DF segments of a download
     * are answered with ICMP fragmentation needed from the DIP, its kernel lowers the path MTU to the client to 1400,
     * and the download completes. (The client's eth0 stays at 1500 and the client sends only small packets: a veth
     * drops a received frame larger than its own MTU, so a big one from the client would be lost before the core.)
     */
    @Test
    void d_linkMtuTowardsTheClientLowersTheRealserversPathMtuAndTheDownloadCompletes() throws Exception {
        final String rs = "jvs-rs2";
        oneRealserver("-t", TCP_PORT, RIPS.get(1));
        assertNoPathMtu(rs, CLIENT_IP);
        final Map<String, Long> before = counters();
        thenRestore(() -> {
            ip(NetnsLab.DIRECTOR, "link", "set", "ext0", "mtu", Integer.toString(PATH_MTU));
            countIcmp(rs, DIP, FRAG_NEEDED);
            try (Helper source = Helper.start(rs, "tcp-source", TCP_PORT, TRANSFER_BYTES, IDLE_SECONDS)) {
                final Procs.Result get = client("tcp-get", VIP, TCP_PORT, IDLE_SECONDS);
                final String download = "the download of " + TRANSFER_BYTES + " bytes from rs2 to the client through "
                        + "the VIP, ext0 MTU " + PATH_MTU + ": " + get.out().strip();
                assertEquals(0, get.exit(), download + "\n" + get.err());
                assertEquals("received " + TRANSFER_BYTES, get.out().strip(), download);
            }
            assertPathMtu(rs, CLIENT_IP, "rs2's path MTU to the client");
            final long icmp = icmpCount(rs);
            assertTrue(icmp >= 1, "rs2 received ICMP fragmentation needed from the DIP " + DIP + " (nft counter: "
                    + icmp + ")");
            final long dropped = assertGrew(before, counters(), "drop_frag_needed");
            System.out.println("PathMtuLabTest download: " + icmp + " ICMP fragmentation needed from the DIP, "
                    + "drop_frag_needed +" + dropped);
        }, () -> {
            ip(NetnsLab.DIRECTOR, "link", "set", "ext0", "mtu", "1500");
            lab.in(rs, "nft", "delete", "table", "inet", NFT_TABLE);
            lab.in(rs, "ip", "route", "flush", "cache");
        }, "after ext0's MTU was set back to 1500");
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs a case, then (whatever happened) restores what it changed, then checks that ordinary HTTP still passes the
     * VIP. A failure of the restore or of the HTTP check after a failed case is added to the case's as suppressed.
     */
    private static void thenRestore(final Step body, final Step restore, final String when) throws Exception {
        Throwable failure = null;
        for (final Step step : List.<Step>of(body, restore, () -> assertHttpThroughTheVip(when))) {
            try {
                step.run();
            } catch (final Exception | AssertionError e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure != null) {
            throw (AssertionError) failure;
        }
    }

    /** Adds (or removes) a /32 route of MTU 1400 through int0 to each realserver in the director. */
    private static void routeMtu(final boolean add) throws Exception {
        for (final String rip : RIPS) {
            if (add) {
                ip(NetnsLab.DIRECTOR, "route", "add", rip + "/32", "dev", "int0", "mtu", Integer.toString(PATH_MTU));
            } else {
                lab.in(NetnsLab.DIRECTOR, "ip", "route", "del", rip + "/32", "dev", "int0");
            }
        }
    }

    /** The helper script in the client namespace, bounded (its own timeouts, and timeout(1) around it). */
    private static Procs.Result client(final String mode, final Object... args) throws Exception {
        final List<String> cmd = new ArrayList<>(List.of("timeout", "20", "python3", Helper.script().toString(),
                mode));
        for (final Object a : args) {
            cmd.add(a.toString());
        }
        return lab.in(NetnsLab.CLIENT, cmd.toArray(new String[0]));
    }

    /** The helper script running in the background in a realserver's namespace until it is done or closed. */
    private static final class Helper implements AutoCloseable {
        private final Process process;
        private final Path out;

        private Helper(final Process process, final Path out) {
            this.process = process;
            this.out = out;
        }

        static Path script() throws Exception {
            final Path script = lab.state().resolve("pmtu_helper.py");
            if (!Files.exists(script)) {
                Files.writeString(script, HELPER_PY);
            }
            return script;
        }

        /** Starts {@code mode args} in {@code namespace} and waits (bounded) until it listens. */
        static Helper start(final String namespace, final String mode, final Object... args) throws Exception {
            final Path out = Files.createTempFile(lab.state(), "pmtu-" + mode + "-", ".out");
            final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "timeout", "40",
                    "python3", script().toString(), mode));
            for (final Object a : args) {
                cmd.add(a.toString());
            }
            final Helper h = new Helper(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .start(), out);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!h.output().lines().toList().contains("ready")) {
                if (System.nanoTime() > deadline || !h.process.isAlive()) {
                    h.close();
                    throw new AssertionError("the " + mode + " helper in " + namespace + " did not start within 10 s: "
                            + h.output());
                }
                Thread.sleep(100);
            }
            return h;
        }

        String output() throws Exception {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        /** Gives the helper a second to end by itself (a TCP one has by then), then kills it. */
        @Override
        public void close() throws Exception {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A service on VIP:port (protocol flag -t or -u) with one NAT realserver. */
    private static void oneRealserver(final String protocol, final int port, final String rip) throws Exception {
        lab.jvsadm("-A", protocol, VIP + ":" + port, "-s", "rr");
        lab.jvsadm("-a", protocol, VIP + ":" + port, "-r", rip + ":" + port, "-m");
    }

    /** Ordinary HTTP through the VIP: three new connections, one to each realserver. */
    private static void assertHttpThroughTheVip(final String when) throws Exception {
        for (int i = 0; i < 3; i++) {
            final String body = lab.curl("http://" + VIP + "/");
            assertTrue(body.startsWith("hello from rs"), "HTTP through the VIP " + when + ", request " + (i + 1)
                    + ": " + body + "\n" + lab.jvs("dataplane"));
        }
    }

    /** {@code ip ARGS} in a namespace; fails the test unless it exits 0. */
    private static void ip(final String namespace, final String... args) throws Exception {
        final String[] cmd = new String[args.length + 1];
        cmd[0] = "ip";
        System.arraycopy(args, 0, cmd, 1, args.length);
        final Procs.Result r = lab.in(namespace, cmd);
        assertEquals(0, r.exit(), r.toString());
    }

    /** The MTU the kernel of {@code namespace} would use towards {@code address} ({@code ip route get}), or -1. */
    private static int pathMtu(final String namespace, final String address) throws Exception {
        final Procs.Result r = lab.in(namespace, "ip", "route", "get", address);
        assertEquals(0, r.exit(), r.toString());
        final Matcher m = MTU.matcher(r.out());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static void assertNoPathMtu(final String namespace, final String address) throws Exception {
        assertEquals(-1, pathMtu(namespace, address), namespace + " has no path MTU to " + address + " before the case: "
                + lab.in(namespace, "ip", "route", "get", address).out());
    }

    private static void assertPathMtu(final String namespace, final String address, final String what)
            throws Exception {
        assertEquals(PATH_MTU, pathMtu(namespace, address), what + " was lowered by ICMP fragmentation needed: `ip -n "
                + namespace + " route get " + address + "` says " + lab.in(namespace, "ip", "route", "get", address)
                .out().strip().replaceAll("\\s+", " "));
    }

    /** An nft counter in {@code namespace} of the ICMP messages matching {@code match} it receives from {@code source}. */
    private static void countIcmp(final String namespace, final String source, final String match) throws Exception {
        final String rules = "table inet " + NFT_TABLE + " {\n counter seen { }\n"
                + " chain input { type filter hook input priority 0;\n"
                + "  ip saddr " + source + " " + match + " counter name \"seen\"\n }\n}\n";
        final Path file = lab.state().resolve("pmtu-" + namespace + ".nft");
        Files.writeString(file, rules);
        final Procs.Result r = lab.in(namespace, "nft", "-f", file.toString());
        assertEquals(0, r.exit(), r.toString());
    }

    private static long icmpCount(final String namespace) throws Exception {
        final String listing = lab.in(namespace, "nft", "list", "counter", "inet", NFT_TABLE, "seen").out();
        final Matcher m = Pattern.compile("packets (\\d+)").matcher(listing);
        assertTrue(m.find(), listing);
        return Long.parseLong(m.group(1));
    }

    /** A counter of /proc/net/snmp's Ip line (e.g. ReasmOKs) in a namespace. */
    private static long ipCounter(final String namespace, final String name) throws Exception {
        final Procs.Result r = lab.in(namespace, "cat", "/proc/net/snmp");
        assertEquals(0, r.exit(), r.toString());
        final List<String> ip = r.out().lines().filter(l -> l.startsWith("Ip: ")).toList();
        assertEquals(2, ip.size(), r.out());
        final List<String> names = List.of(ip.get(0).split("\\s+"));
        final String[] values = ip.get(1).split("\\s+");
        final int i = names.indexOf(name);
        assertTrue(i > 0, name + " in " + ip.get(0));
        return Long.parseLong(values[i]);
    }

    private static Map<String, Long> counters() throws Exception {
        final String listing = lab.jvs("dataplane");
        assertTrue(listing.startsWith("Data plane on ext0,int0, "), listing);
        final Map<String, Long> out = new HashMap<>();
        for (final String line : listing.split("\n")) {
            final String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[1].matches("\\d+")) {
                out.put(f[0], Long.parseLong(f[1]));
            }
        }
        assertTrue(out.containsKey("rx") && out.containsKey("forwarded"), listing);
        return out;
    }

    /** The data-plane counter {@code name} exists and grew between the two readings; by how much. */
    private static long assertGrew(final Map<String, Long> before, final Map<String, Long> after, final String name) {
        assertTrue(after.containsKey(name), "the director has no data-plane counter " + name + ": " + after);
        final long grew = after.get(name) - before.getOrDefault(name, 0L);
        assertTrue(grew >= 1, "the director's " + name + " grew: by " + grew + " (" + after + ")");
        return grew;
    }
}
