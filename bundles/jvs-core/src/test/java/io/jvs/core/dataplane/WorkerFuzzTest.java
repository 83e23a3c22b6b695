package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.CLIENT;
import static io.jvs.core.dataplane.MemoryDirector.CLIENT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static io.jvs.core.dataplane.MemoryDirector.realserverOf;
import static io.jvs.testkit.wire.TestFrames.ACK;
import static io.jvs.testkit.wire.TestFrames.FIN;
import static io.jvs.testkit.wire.TestFrames.RST;
import static io.jvs.testkit.wire.TestFrames.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.core.port.MemoryPort;
import io.jvs.core.wire.Checksums;
import io.jvs.core.wire.PacketValidator;
import io.jvs.testkit.wire.TestFrames;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz of the packet path: valid frames of every kind the worker handles (ARP, ICMP echo and
 * errors with quoted headers, TCP and UDP both ways, IPv4 options, fragments, IPv6, VLAN tags) and garbage,
 * truncated, corrupted, with fields set to edge values and checksums sometimes repaired so that the corruption
 * reaches past the validator, through {@code dp.poll} on both ports. Nothing may throw; every frame received must
 * be accounted for by exactly one outcome counter; what leaves must be well-formed; and a valid flow must still
 * work afterwards. A failure names the seed and the frames of the batch.
 */
class WorkerFuzzTest {
    private static final int FRAMES = 20_000;
    private static final int DIP_EXT = TestFrames.ip("10.77.1.1");
    private static final int DIP_INT = TestFrames.ip("10.77.2.1");
    /** A client on the ext subnet whose MAC the director must ask for (until it answers). */
    private static final int CLIENT2 = TestFrames.ip("10.77.1.77");
    private static final long CLIENT2_MAC = 0x0200_0000_00C2L;
    /** A client beyond a gateway the director has no route to. */
    private static final int CLIENT3 = TestFrames.ip("192.0.2.1");
    /** Few client ports, so replies, errors and later segments meet the connections earlier frames made. */
    private static final int PORTS = 16;
    private static final int FIRST_PORT = 40000;

    private MemoryDirector d;
    private Random r;
    private long injected;
    /** The last flows NAT forwarded to a realserver ({protocol, client, cport, rip, rport}), to reply to. */
    private final int[][] seen = new int[64][];
    private int seenCount;
    /** The director sent an ARP request for CLIENT2 that CLIENT2 has not answered yet. */
    private boolean client2Asked;

    @AfterEach
    void close() {
        if (d != null) {
            d.close();
        }
    }

    @Test
    void defaultSettings() throws Exception {
        fuzz(0x5EED_0001L, DataplaneSettings.DEFAULTS.withConnections(1 << 14));
    }

    @Test
    void secureTcpAndExpireNodestConn() throws Exception {
        fuzz(0x5EED_0002L, DataplaneSettings.DEFAULTS.withConnections(1 << 14).withSecureTcp(true)
                .withExpireNodestConn(true));
    }

    private void fuzz(final long seed, final DataplaneSettings settings) throws Exception {
        d = new MemoryDirector(settings);
        r = new Random(seed);
        services();
        d.learnNeighbours();
        final List<byte[]> batch = new ArrayList<>();
        final List<Boolean> batchExt = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < FRAMES; ) {
            batch.clear();
            batchExt.clear();
            final int n = 1 + r.nextInt(8);
            for (int k = 0; k < n && i < FRAMES; k++, i++) {
                final boolean natural = r.nextBoolean();
                byte[] f = natural ? extSeed() : intSeed();
                f = mutate(f);
                final boolean toExt = r.nextInt(8) == 0 ? !natural : natural;
                inject(toExt ? d.ext : d.in, f);
                batch.add(f);
                batchExt.add(toExt);
            }
            if (!changed && i >= FRAMES / 2) {
                changed = true;
                // Half-way, a realserver with connections goes, another one changes its forwarding method.
                d.table.apply(List.of(new TableCommand.DeleteDestination(MemoryDirector.key(Protocol.TCP, 80),
                        new Endpoint(MemoryDirector.inet(RS[2]), 8080)),
                        new TableCommand.EditDestination(MemoryDirector.key(Protocol.UDP, 53),
                                MemoryDirector.dest(1, 53, ForwardingMethod.ROUTE, 1, 0))));
            }
            poll(seed, batch, batchExt);
            if (r.nextInt(16) == 0) {
                d.clock.addAndGet(r.nextInt(5_000));
            }
            // Not for a while after the change: with expire_nodest_conn housekeeping ends the deleted realserver's
            // connections at once, and the packets that find one first must be fuzzed too.
            if (r.nextInt(64) == 0 && (!changed || i >= FRAMES * 3 / 4)) {
                d.dp.housekeeping();
            }
        }
        // Frames still waiting for a next hop's MAC are dropped after HeldFrames.MAX_WAIT_MILLIS.
        d.clock.addAndGet(HeldFrames.MAX_WAIT_MILLIS + 1);
        batch.clear();
        poll(seed, batch, batchExt);

        assertEquals(injected, d.dp.counter(PathCounters.RX), "every injected frame was received");
        assertEquals(0, d.dp.counter(PathCounters.DROP_TX_FULL), "the test drains after every poll");
        long accounted = 0;
        final StringBuilder all = new StringBuilder();
        for (final int c : outcomes()) {
            accounted += d.dp.counter(c);
            all.append(PathCounters.name(c)).append('=').append(d.dp.counter(c)).append(' ');
        }
        assertEquals(injected, accounted, "each frame has exactly one outcome: " + all);
        // The fuzz reached the places it is meant to: if these fall to 0 it no longer tests much.
        for (final int c : new int[] {PathCounters.FORWARDED, PathCounters.PASSED, PathCounters.OTHER_HOST,
            PathCounters.ARP_REPLIES, PathCounters.ECHO_REPLIES, PathCounters.ICMP_RELAYED, PathCounters.DROP_NOT_SYN,
            PathCounters.DROP_NO_SERVICE, PathCounters.DROP_NO_DESTINATION,
            settings.expireNodestConn() ? PathCounters.NODEST_EXPIRED : PathCounters.DROP_DEST_GONE,
            PathCounters.DROP_NO_ROUTE, PathCounters.DROP_NO_NEIGHBOUR, PathCounters.RELEASED, PathCounters.DROP_TTL,
            PacketValidator.TRUNCATED_L2, PacketValidator.UNSUPPORTED_ETHERTYPE, PacketValidator.TRUNCATED_L3,
            PacketValidator.BAD_IHL, PacketValidator.BAD_TOTAL_LENGTH, PacketValidator.BAD_IP_CHECKSUM,
            PacketValidator.FRAGMENT, PacketValidator.UNSUPPORTED_PROTOCOL, PacketValidator.TRUNCATED_L4,
            PacketValidator.BAD_L4_HEADER, PacketValidator.BAD_L4_CHECKSUM}) {
            assertTrue(d.dp.counter(c) > 0, PathCounters.name(c) + " never happened: " + all);
        }
        validFlowStillWorks();
    }

    private void services() throws TableException {
        d.service(Protocol.TCP, 80, "rr", 0);
        for (int i = 0; i < 3; i++) {
            d.real(Protocol.TCP, 80, i, 8080, ForwardingMethod.MASQ, 1);
        }
        d.service(Protocol.UDP, 53, "rr", 0);
        d.real(Protocol.UDP, 53, 0, 5353, ForwardingMethod.MASQ, 1);
        d.real(Protocol.UDP, 53, 1, 53, ForwardingMethod.MASQ, 1);
        d.service(Protocol.TCP, 22, "rr", 0);
        d.real(Protocol.TCP, 22, 1, 22, ForwardingMethod.ROUTE, 1);
        d.service(Protocol.TCP, 443, "rr", 60);
        d.real(Protocol.TCP, 443, 0, 443, ForwardingMethod.MASQ, 1);
        d.real(Protocol.TCP, 443, 2, 443, ForwardingMethod.MASQ, 1);
        d.table.apply(List.of(new TableCommand.AddService(new ServiceConfig(MemoryDirector.key(Protocol.UDP, 514),
                "rr", false, 0, ServiceConfig.HOST_MASK_V4, true, 0))));
        for (int i = 0; i < 3; i++) {
            d.real(Protocol.UDP, 514, i, 514, ForwardingMethod.MASQ, 1);
        }
        d.service(Protocol.TCP, 8000, "rr", 0);   // no realserver: port unreachable
    }

    private void inject(final MemoryPort port, final byte[] f) {
        assertTrue(port.inject(f), "receive ring full");
        injected++;
    }

    private void poll(final long seed, final List<byte[]> batch, final List<Boolean> ext) {
        try {
            d.dp.poll(0);
        } catch (final RuntimeException | Error e) {
            final StringBuilder s = new StringBuilder("seed ").append(Long.toHexString(seed)).append(", batch:");
            for (int k = 0; k < batch.size(); k++) {
                s.append("\n  ").append(ext.get(k) ? "ext " : "int ").append(HexFormat.of().formatHex(batch.get(k)));
            }
            throw new AssertionError(s.toString(), e);
        }
        for (byte[] out = d.ext.drain(); out != null; out = d.ext.drain()) {
            checkLeaving(out, EXT_MAC, true);
        }
        for (byte[] out = d.in.drain(); out != null; out = d.in.drain()) {
            checkLeaving(out, INT_MAC, false);
        }
    }

    /**
     * The counters that are a received frame's final outcome: not RX, nor the notes REUSED, ICMP_RELAYED, RELEASED,
     * NODEST_EXPIRED, FRAGMENTED and ICMP_LIMITED.
     */
    private static int[] outcomes() {
        final List<Integer> c = new ArrayList<>();
        for (int v = 1; v < PacketValidator.VERDICTS; v++) {
            c.add(v);
        }
        for (int p = PathCounters.FORWARDED; p < PathCounters.SIZE; p++) {
            if (p != PathCounters.ICMP_RELAYED && p != PathCounters.REUSED && p != PathCounters.RELEASED
                    && p != PathCounters.NODEST_EXPIRED && p != PathCounters.FRAGMENTED
                    && p != PathCounters.ICMP_LIMITED) {
                c.add(p);
            }
        }
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    /** What the director sends is well-formed: its own source MAC, valid checksums, no address leaks. */
    private void checkLeaving(final byte[] f, final long portMac, final boolean ext) {
        final String hex = HexFormat.of().formatHex(f);
        assertTrue(f.length >= 14 && f.length <= 2048, hex);
        assertEquals(portMac, TestFrames.srcMac(f), "source MAC of the port it left by: " + hex);
        final ByteBuffer b = ByteBuffer.wrap(f);
        final int type = TestFrames.etherType(f);
        if (type == 0x0806) {
            assertTrue(f.length >= 42, hex);
            final int op = b.getShort(20);
            final int sender = b.getInt(28);
            if (op == 2) {
                assertEquals(VIP, sender, "ARP answered for a VIP only: " + hex);
            } else {
                assertEquals(1, op, hex);
                assertEquals(ext ? DIP_EXT : DIP_INT, sender, "ARP requests from the DIP: " + hex);
                client2Asked |= b.getInt(38) == CLIENT2;
            }
            return;
        }
        if (type != 0x0800) {
            return;   // VLAN-tagged and IPv6 frames are not the core's to check (they pass as they are)
        }
        final int ihl = (f[14] & 0x0F) * 4;
        final int total = b.getShort(16) & 0xFFFF;
        assertTrue((f[14] & 0xF0) == 0x40 && ihl >= 20 && total >= ihl && 14 + total <= f.length, hex);
        assertTrue(Checksums.verify(b, 14, ihl), "IPv4 header checksum: " + hex);
        assertTrue(Checksums.verifyV4(b, 14, 14 + ihl, l4Length(b, ihl, total)), "L4 checksum: " + hex);
        if (ext) {
            assertEquals(VIP, b.getInt(26), "only the VIP speaks to the client side: " + hex);
        } else {
            final int dst = b.getInt(30);
            assertTrue(dst == VIP || Arrays.stream(RS).anyMatch(x -> x == dst) || b.getInt(26) == VIP,
                    "to a realserver (NAT or DR), or from the VIP: " + hex);
            final int protocol = f[23] & 0xFF;
            if (dst != VIP && (protocol == TestFrames.TCP || protocol == TestFrames.UDP)) {
                seen[seenCount++ % seen.length] = new int[] {protocol, b.getInt(26), b.getShort(14 + ihl) & 0xFFFF,
                    dst, b.getShort(14 + ihl + 2) & 0xFFFF};
            }
        }
    }

    private static int l4Length(final ByteBuffer b, final int ihl, final int total) {
        final int protocol = b.get(23) & 0xFF;
        return protocol == TestFrames.UDP ? b.getShort(14 + ihl + 4) & 0xFFFF : total - ihl;
    }

    // ---- valid seeds ----

    private int client() {
        final int k = r.nextInt(10);
        return k < 7 ? CLIENT : k < 9 ? CLIENT2 : CLIENT3;
    }

    private int clientPort() {
        return FIRST_PORT + r.nextInt(PORTS);
    }

    private int vport() {
        final int[] p = {80, 80, 443, 22, 8000, 81};
        return p[r.nextInt(p.length)];
    }

    private int flags() {
        final int[] f = {SYN, SYN, ACK, ACK, ACK, FIN | ACK, RST, RST | ACK, SYN | ACK, 0, FIN};
        return f[r.nextInt(f.length)];
    }

    /** A frame the client side would send. */
    private byte[] extSeed() {
        switch (r.nextInt(12)) {
            case 0, 1, 2:
                return TestFrames.tcp(EXT_MAC, CLIENT_MAC, client(), clientPort(), VIP, vport(), flags(),
                        r.nextInt(40));
            case 3:
                return TestFrames.udp(EXT_MAC, CLIENT_MAC, client(), clientPort(), VIP, r.nextBoolean() ? 53 : 514,
                        r.nextInt(60));
            case 4:
                return TestFrames.ping(EXT_MAC, CLIENT_MAC, CLIENT, VIP);
            case 5:
                return TestFrames.arpRequest(CLIENT_MAC, CLIENT, r.nextBoolean() ? VIP : DIP_EXT);
            case 6:
                // CLIENT2 answers only when asked, and late: frames to it wait, and are released or time out.
                if (client2Asked && r.nextInt(4) == 0) {
                    client2Asked = false;
                    return TestFrames.arpReply(EXT_MAC, CLIENT2_MAC, CLIENT2, DIP_EXT);
                }
                return TestFrames.arpReply(EXT_MAC, CLIENT_MAC, CLIENT, DIP_EXT);
            case 7: {
                // An error about a packet the VIP sent the client (quote VIP:vport -> client:cport).
                final byte[] sent = r.nextBoolean()
                        ? TestFrames.tcp(CLIENT_MAC, EXT_MAC, VIP, vport(), CLIENT, clientPort(), SYN | ACK, 0)
                        : TestFrames.udp(CLIENT_MAC, EXT_MAC, VIP, 53, CLIENT, clientPort(), 20);
                return icmpError(sent, CLIENT_MAC);
            }
            case 8:
                return withIpOptions(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, clientPort(), VIP, vport(), flags(),
                        r.nextInt(20)), 1 + r.nextInt(10));
            case 9:
                return fragment(TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, clientPort(), VIP, 53, 40));
            case 10:
                return r.nextBoolean() ? vlanTagged(d.syn(clientPort(), 80)) : ipv6(EXT_MAC, CLIENT_MAC);
            default:
                return garbage(EXT_MAC);
        }
    }

    /** A frame the realserver side would send. */
    private byte[] intSeed() {
        final int rs = r.nextInt(3);
        if (seenCount > 0 && r.nextInt(3) == 0) {
            // The realserver's side of a flow the director forwarded: a reply, or an error about it.
            final int[] s = seen[r.nextInt(Math.min(seenCount, seen.length))];
            final int i = Math.max(0, Arrays.asList(RS[0], RS[1], RS[2]).indexOf(s[3]));
            if (r.nextInt(4) == 0) {
                final byte[] got = s[0] == TestFrames.TCP
                        ? TestFrames.tcp(RS_MAC[i], INT_MAC, s[1], s[2], s[3], s[4], ACK, 10)
                        : TestFrames.udp(RS_MAC[i], INT_MAC, s[1], s[2], s[3], s[4], 12);
                return icmpError(got, RS_MAC[i]);
            }
            return s[0] == TestFrames.TCP
                    ? TestFrames.tcp(INT_MAC, RS_MAC[i], s[3], s[4], s[1], s[2], flags(), r.nextInt(40))
                    : TestFrames.udp(INT_MAC, RS_MAC[i], s[3], s[4], s[1], s[2], r.nextInt(60));
        }
        switch (r.nextInt(10)) {
            case 0, 1, 2:
                return TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], r.nextBoolean() ? 8080 : 443, client(),
                        clientPort(), flags(), r.nextInt(40));
            case 3:
                return TestFrames.udp(INT_MAC, RS_MAC[rs], RS[rs], r.nextBoolean() ? 5353 : 53, client(), clientPort(),
                        r.nextInt(60));
            case 4: {
                // An error about a packet the director forwarded (quote client:cport -> RIP:rport).
                final byte[] got = r.nextBoolean()
                        ? TestFrames.tcp(RS_MAC[rs], INT_MAC, CLIENT, clientPort(), RS[rs], 8080, ACK, 10)
                        : TestFrames.udp(RS_MAC[rs], INT_MAC, CLIENT, clientPort(), RS[rs], 5353, 12);
                return icmpError(got, RS_MAC[rs]);
            }
            case 5:
                return TestFrames.arpReply(INT_MAC, RS_MAC[rs], RS[rs], DIP_INT);
            case 6:
                return TestFrames.arpRequest(RS_MAC[rs], RS[rs], r.nextBoolean() ? DIP_INT : VIP);
            case 7:
                return withIpOptions(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, clientPort(), ACK,
                        r.nextInt(20)), 1 + r.nextInt(10));
            case 8:
                return fragment(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, clientPort(), ACK, 30));
            default:
                return garbage(INT_MAC);
        }
    }

    /** An ICMP error (random type among the errors) from the receiver of {@code quoted} back to its sender. */
    private byte[] icmpError(final byte[] quoted, final long senderMac) {
        final ByteBuffer out = ByteBuffer.allocate(128);
        final int n = Frames.portUnreachable(ByteBuffer.wrap(quoted), 0, 14,
                ByteBuffer.wrap(quoted).getShort(16) & 0xFFFF, out, 0, senderMac);
        final int[][] kinds = {{3, 3}, {3, 4}, {3, 1}, {11, 0}, {4, 0}, {12, 0}, {5, 1}};
        final int[] kind = kinds[r.nextInt(kinds.length)];
        out.put(34, (byte) kind[0]);
        out.put(35, (byte) kind[1]);
        final int total = out.getShort(16) & 0xFFFF;
        out.putShort(36, (short) 0);
        out.putShort(36, (short) Checksums.checksum(out, 34, total - 20));
        return Arrays.copyOf(out.array(), n);
    }

    /** The frame with {@code words} 32-bit words of IPv4 options (NOPs, then EOL) after its header. */
    private static byte[] withIpOptions(final byte[] f, final int words) {
        final int extra = words * 4;
        final byte[] o = new byte[f.length + extra];
        System.arraycopy(f, 0, o, 0, 34);
        Arrays.fill(o, 34, 34 + extra - 1, (byte) 1);
        System.arraycopy(f, 34, o, 34 + extra, f.length - 34);
        o[14] = (byte) (0x40 | (5 + words));
        final ByteBuffer b = ByteBuffer.wrap(o);
        b.putShort(16, (short) ((b.getShort(16) & 0xFFFF) + extra));
        ipChecksum(b);   // the L4 checksum does not cover IP options
        return o;
    }

    private byte[] fragment(final byte[] f) {
        final ByteBuffer b = ByteBuffer.wrap(f);
        b.putShort(20, (short) (r.nextBoolean() ? 0x2000 : 0x2000 | 1 + r.nextInt(100)));
        if (r.nextBoolean()) {
            b.putShort(20, (short) (1 + r.nextInt(100)));   // the last fragment
        }
        ipChecksum(b);
        return f;
    }

    private byte[] vlanTagged(final byte[] f) {
        final byte[] o = new byte[f.length + 4];
        System.arraycopy(f, 0, o, 0, 12);
        o[12] = (byte) 0x81;
        o[14] = (byte) r.nextInt(16);
        o[15] = (byte) r.nextInt(256);
        System.arraycopy(f, 12, o, 16, f.length - 12);
        return o;
    }

    private byte[] ipv6(final long dstMac, final long srcMac) {
        final ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + r.nextInt(20));
        Frames.putMac(b, 0, dstMac);
        Frames.putMac(b, 6, srcMac);
        b.putShort(12, (short) 0x86DD);
        b.putInt(14, 0x6000_0000);
        b.putShort(18, (short) (b.capacity() - 54));
        b.put(20, (byte) (r.nextBoolean() ? 17 : r.nextInt(256)));
        b.put(21, (byte) 64);
        for (int i = 22; i < b.capacity(); i++) {
            b.put(i, (byte) r.nextInt(256));
        }
        return b.array();
    }

    private byte[] garbage(final long portMac) {
        final byte[] f = new byte[r.nextInt(200)];
        r.nextBytes(f);
        if (f.length >= 14) {
            if (r.nextBoolean()) {
                Frames.putMac(ByteBuffer.wrap(f), 0, portMac);
            }
            final int[] types = {0x0800, 0x0800, 0x0806, 0x86DD, 0x8100, 0x88A8};
            if (r.nextInt(4) != 0) {
                ByteBuffer.wrap(f).putShort(12, (short) types[r.nextInt(types.length)]);
            }
            if (f.length > 34 && r.nextBoolean()) {
                f[14] = 0x45;
                ipChecksum(ByteBuffer.wrap(f));
            }
        }
        return f;
    }

    // ---- mutations ----

    private byte[] mutate(final byte[] seed) {
        byte[] f = seed;
        switch (r.nextInt(10)) {
            case 0, 1:
                return f;   // valid, so that flows make progress
            case 2:
                return Arrays.copyOf(f, r.nextInt(f.length + 1));
            case 3:
                flip(f, f.length, 1 + r.nextInt(4));
                return f;
            case 4:
                flip(f, Math.min(f.length, 64), 1 + r.nextInt(3));
                repair(f);
                return f;
            case 5:
                setField(f);
                repair(f);
                return f;
            case 6:
                setField(f);
                return f;
            case 7:
                f = Arrays.copyOf(f, f.length + 1 + r.nextInt(64));   // trailing bytes beyond the datagram
                for (int i = seed.length; i < f.length; i++) {
                    f[i] = (byte) r.nextInt(256);
                }
                return f;
            case 8:
                f = Arrays.copyOf(f, Math.max(0, f.length - 1 - r.nextInt(12)));
                repair(f);
                return f;
            default:
                if (f.length >= 6 && r.nextBoolean()) {
                    Frames.putMac(ByteBuffer.wrap(f), 0, r.nextBoolean() ? Frames.BROADCAST : 0x0200_DEAD_BEEFL);
                }
                if (r.nextBoolean()) {
                    setField(f);
                    setField(f);
                    repair(f);
                }
                return f;
        }
    }

    private void flip(final byte[] f, final int within, final int times) {
        for (int i = 0; i < times && within > 0; i++) {
            f[r.nextInt(within)] ^= (byte) (1 + r.nextInt(255));
        }
    }

    private int address() {
        final int[] a = {VIP, CLIENT, RS[0], RS[1], RS[2], DIP_EXT, DIP_INT, 0, -1, TestFrames.ip("10.77.1.77"),
            TestFrames.ip("192.0.2.1"), r.nextInt()};
        return a[r.nextInt(a.length)];
    }

    /** Sets one header field to an edge or interesting value (IPv4 offsets of an untagged frame). */
    private void setField(final byte[] f) {
        if (f.length < 60) {
            return;
        }
        final ByteBuffer b = ByteBuffer.wrap(f);
        switch (r.nextInt(16)) {
            case 0 -> f[14] = (byte) (0x40 | r.nextInt(16));                      // IHL
            case 1 -> b.putShort(16, (short) edge(0xFFFF));                        // total length
            case 2 -> b.putShort(20, (short) (r.nextInt(8) << 13 | r.nextInt(3))); // flags and fragment offset
            case 3 -> f[22] = (byte) r.nextInt(3);                                 // TTL 0, 1, 2
            case 4 -> f[23] = (byte) new int[] {1, 6, 17, 47, 132, r.nextInt(256)}[r.nextInt(6)];
            case 5 -> b.putInt(26, address());
            case 6 -> b.putInt(30, address());
            case 7 -> b.putShort(34, (short) (r.nextBoolean() ? clientPort() : edge(0xFFFF)));
            case 8 -> b.putShort(36, (short) new int[] {80, 443, 22, 53, 514, 8000, 8080, 5353, 0}[r.nextInt(9)]);
            case 9 -> f[46] = (byte) (r.nextInt(16) << 4);                         // TCP data offset
            case 10 -> f[47] = (byte) r.nextInt(256);                              // TCP flags
            case 11 -> b.putShort(38, (short) edge(0xFFFF));                       // UDP length / TCP seq
            case 12 -> f[34] = (byte) r.nextInt(20);                               // ICMP type
            case 13 -> f[42] = (byte) (r.nextInt(16) << 4 | r.nextInt(16));        // quoted version and IHL
            case 14 -> f[51] = (byte) new int[] {1, 6, 17, r.nextInt(256)}[r.nextInt(4)];   // quoted protocol
            default -> b.putShort(12, (short) new int[] {0x0800, 0x0806, 0x86DD, 0x8100, 0x88CC}[r.nextInt(5)]);
        }
    }

    private int edge(final int max) {
        final int[] e = {0, 1, 7, 8, 19, 20, 21, 27, 28, 40, 60, max - 1, max};
        return r.nextInt(3) == 0 ? r.nextInt(max + 1) : e[r.nextInt(e.length)];
    }

    /** Recomputes the IPv4 header and L4 checksums where the frame still allows it, as a crafted packet would. */
    private static void repair(final byte[] f) {
        if (f.length < 34 || TestFrames.etherType(f) != 0x0800 || (f[14] & 0xF0) != 0x40) {
            return;
        }
        final ByteBuffer b = ByteBuffer.wrap(f);
        final int ihl = (f[14] & 0x0F) * 4;
        if (ihl < 20 || 14 + ihl > f.length) {
            return;
        }
        final int total = b.getShort(16) & 0xFFFF;
        if (total >= ihl && 14 + total <= f.length && (b.getShort(20) & 0x3FFF) == 0) {
            final int protocol = f[23] & 0xFF;
            int l4 = total - ihl;
            if (protocol == TestFrames.UDP && l4 >= 8) {
                l4 = Math.min(l4, Math.max(8, b.getShort(14 + ihl + 4) & 0xFFFF));
            }
            final boolean fits = protocol == TestFrames.TCP ? l4 >= 20 : protocol == TestFrames.UDP ? l4 >= 8
                    : protocol == 1 && l4 >= 8;
            if (fits) {
                Checksums.fillV4(b, 14, 14 + ihl, l4);
            }
        }
        ipChecksum(b);
    }

    private static void ipChecksum(final ByteBuffer b) {
        final int ihl = (b.get(14) & 0x0F) * 4;
        if (ihl < 20 || 14 + ihl > b.capacity()) {
            return;
        }
        b.putShort(24, (short) 0);
        b.putShort(24, (short) Checksums.checksum(b, 14, ihl));
    }

    // ---- afterwards ----

    /** A new TCP connection and a UDP exchange, through the same director, still go both ways as they should. */
    private void validFlowStillWorks() {
        d.learnNeighbours();   // fuzzed ARP may have taught the neighbour table other MACs: legitimately
        final int port = 61000;
        final byte[] syn = d.fromClient(d.syn(port, 80));
        assertNotNull(syn, "a SYN after the fuzz is forwarded");
        final int rs = realserverOf(syn);
        assertTrue(rs == 0 || rs == 1, "to a realserver that is left");
        assertEquals(RS[rs], TestFrames.daddr(syn));
        assertTrue(TestFrames.checksumsValid(syn));
        final byte[] back = d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, port,
                SYN | ACK, 0));
        assertNotNull(back);
        assertEquals(CLIENT_MAC, TestFrames.dstMac(back));
        assertEquals(VIP, TestFrames.saddr(back));
        assertEquals(80, TestFrames.sport(back));
        assertTrue(TestFrames.checksumsValid(back));
        assertNotNull(d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, port, VIP, 80, ACK, 10)));
        // The server's side too, which secure_tcp waits for.
        assertNotNull(d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], 8080, CLIENT, port, ACK, 10)));
        assertEquals("ESTABLISHED", d.dp.connectionEntries().stream()
                .filter(e -> e.client().port() == port && !e.template()).findFirst().orElseThrow().state());

        final byte[] query = d.fromClient(TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, port, VIP, 53, 12));
        assertNotNull(query, "a datagram after the fuzz is forwarded");
        assertTrue(TestFrames.checksumsValid(query));
        d.ext.inject(TestFrames.ping(EXT_MAC, CLIENT_MAC, CLIENT, VIP));
        d.dp.poll(0);
        final byte[] pong = d.ext.drain();
        assertNotNull(pong);
        assertEquals(0, pong[34]);
        assertTrue(TestFrames.checksumsValid(pong));
    }
}
