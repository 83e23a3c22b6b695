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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.core.route.Route;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Packets larger than the MTU of their path out, as the kernel's IPVS and forwarding treat them: with DF they are
 * dropped and their source gets ICMP fragmentation needed (from the VIP towards a client, from the director's
 * address towards a realserver); without DF they leave as fragments, cut after the rewrite.
 */
class PathMtuTest {
    private static final int DIP_INT = TestFrames.ip("10.77.2.1");
    private final MemoryDirector d = new MemoryDirector();

    @AfterEach
    void close() {
        d.close();
    }

    /** The lab's routes with the given link MTUs, plus {@code extra} routes. */
    private void mtus(final int extMtu, final int intMtu, final Route... extra) {
        d.dp.routes(MemoryDirector.routes(extMtu, intMtu, extra));
    }

    private void service(final Protocol p, final int port, final ForwardingMethod m) throws Exception {
        d.service(p, port, "rr", 0);
        d.real(p, port, 0, m == ForwardingMethod.ROUTE ? port : 8080, m, 1);
        d.learnNeighbours();
    }

    private byte[] segment(final int payload) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 40_000, VIP, 80, ACK, payload);
    }

    @Test
    void aDfSegmentTooBigForTheRealserversLinkIsRefusedWithIcmpFromTheVip() throws Exception {
        mtus(1500, 1400);
        service(Protocol.TCP, 80, ForwardingMethod.MASQ);
        assertNotNull(d.fromClient(d.syn(40_000, 80)));
        final byte[] big = segment(1460);
        assertNull(d.fromClient(big.clone()), "nothing leaves towards the realserver");
        final byte[] icmp = d.ext.drain();
        assertNotNull(icmp, "ICMP back to the client");
        assertFragmentationNeeded(icmp, CLIENT_MAC, EXT_MAC, VIP, CLIENT, 1400, TestFrames.withTtl(big, 63));
        assertEquals(1, d.dp.counter(PathCounters.DROP_FRAG_NEEDED));
        assertEquals(0, d.dp.counter(PathCounters.FRAGMENTED));

        final byte[] fits = d.fromClient(segment(1360));
        assertNotNull(fits, "a packet of exactly the path's MTU leaves whole");
        assertEquals(1400, ByteBuffer.wrap(fits).getShort(16));
        assertEquals(RS[0], TestFrames.daddr(fits));
        assertTrue(TestFrames.checksumsValid(fits));
    }

    @Test
    void aRouteMtuAppliesToItsDestinationOnly() throws Exception {
        mtus(1500, 1500, new Route(RS[0], 32, 0, NatLab.INT_IFINDEX, 0, 1280));
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 0, 80, ForwardingMethod.MASQ, 1);
        d.real(Protocol.TCP, 80, 1, 80, ForwardingMethod.MASQ, 1);
        d.learnNeighbours();
        int refused = 0;
        int passed = 0;
        for (int c = 0; c < 4; c++) {
            final int rs = realserverOf(d.fromClient(d.syn(41_000 + c, 80)));
            final byte[] out = d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 41_000 + c, VIP, 80, ACK,
                    1300));
            if (rs == 0) {
                assertNull(out);
                assertFragmentationNeeded(d.ext.drain(), CLIENT_MAC, EXT_MAC, VIP, CLIENT, 1280, null);
                refused++;
            } else {
                assertNotNull(out, "the other realserver's path keeps the link's 1500");
                passed++;
            }
        }
        assertEquals(2, refused);
        assertEquals(2, passed);
        assertEquals(2, d.dp.counter(PathCounters.DROP_FRAG_NEEDED));
    }

    @Test
    void aDatagramWithoutDfIsFragmentedAfterTheRewrite() throws Exception {
        mtus(1500, 1400);
        service(Protocol.UDP, 53, ForwardingMethod.MASQ);
        final byte[] whole = TestFrames.withoutDontFragment(
                TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 40_053, VIP, 53, 1472));
        d.ext.inject(whole);
        d.dp.poll(0);
        final List<byte[]> fragments = drainAll(d.in);
        assertEquals(2, fragments.size());
        final ByteBuffer first = ByteBuffer.wrap(fragments.get(0));
        final ByteBuffer second = ByteBuffer.wrap(fragments.get(1));
        assertEquals(1396, first.getShort(16), "20 + 1376 bytes: the data cut at a multiple of 8");
        assertEquals(0x2000, first.getShort(20) & 0xFFFF, "MF, offset 0");
        assertEquals(20 + 1480 - 1376, second.getShort(16));
        assertEquals(1376 / 8, second.getShort(20) & 0xFFFF, "last: no MF, offset 172");
        assertEquals(first.getShort(18), second.getShort(18), "one identification");
        for (final byte[] f : fragments) {
            assertEquals(RS_MAC[0], TestFrames.dstMac(f));
            assertEquals(INT_MAC, TestFrames.srcMac(f));
            assertEquals(RS[0], TestFrames.daddr(f));
            assertTrue(TestFrames.ipChecksumValid(f));
        }
        final byte[] reassembled = reassemble(fragments);
        assertEquals(1500, reassembled.length - 14);
        assertEquals(8080, TestFrames.dport(reassembled), "rewritten before it was cut");
        assertTrue(TestFrames.checksumsValid(reassembled), "the UDP checksum covers the whole datagram");
        assertEquals(1, d.dp.counter(PathCounters.FRAGMENTED));
        assertEquals(1, d.dp.counter(PathCounters.FORWARDED), "one packet forwarded");
        assertEquals(0, d.dp.counter(PathCounters.DROP_FRAG_NEEDED));
    }

    @Test
    void aDfReplyTooBigForTheClientsLinkIsRefusedWithIcmpFromTheDirectorsAddress() throws Exception {
        mtus(1400, 1500);
        service(Protocol.TCP, 80, ForwardingMethod.MASQ);
        assertNotNull(d.fromClient(d.syn(40_000, 80)));
        final byte[] reply = TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], 8080, CLIENT, 40_000, ACK, 1460);
        d.in.inject(reply.clone());
        d.dp.poll(0);
        assertNull(d.ext.drain(), "nothing leaves towards the client");
        final byte[] icmp = d.in.drain();
        assertNotNull(icmp, "ICMP back to the realserver");
        assertFragmentationNeeded(icmp, RS_MAC[0], INT_MAC, DIP_INT, RS[0], 1400, reply);
        assertEquals(64, ByteBuffer.wrap(icmp).get(42 + 8) & 0xFF, "the quote is the packet as received");
        assertEquals(1, d.dp.counter(PathCounters.DROP_FRAG_NEEDED));

        final byte[] fits = d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], 8080, CLIENT, 40_000, ACK,
                1360));
        assertNotNull(fits);
        assertEquals(VIP, TestFrames.saddr(fits));
    }

    @Test
    void directRoutingRefusesATooBigDfPacketFromTheVip() throws Exception {
        mtus(1500, 1400);
        service(Protocol.TCP, 80, ForwardingMethod.ROUTE);
        assertNotNull(d.fromClient(d.syn(40_000, 80)));
        final byte[] big = segment(1460);
        assertNull(d.fromClient(big.clone()));
        assertFragmentationNeeded(d.ext.drain(), CLIENT_MAC, EXT_MAC, VIP, CLIENT, 1400,
                TestFrames.withTtl(big, 63));
        final byte[] cut = TestFrames.withoutDontFragment(segment(1460));
        d.ext.inject(cut.clone());
        d.dp.poll(0);
        final List<byte[]> fragments = drainAll(d.in);
        assertEquals(2, fragments.size());
        final byte[] reassembled = reassemble(fragments);
        assertEquals(VIP, TestFrames.daddr(reassembled), "DR leaves the addresses alone");
        final byte[] sent = TestFrames.withTtl(cut, 63);
        final byte[] l3 = new byte[sent.length - 14];
        System.arraycopy(sent, 14, l3, 0, l3.length);
        final byte[] outL3 = new byte[reassembled.length - 14];
        System.arraycopy(reassembled, 14, outL3, 0, outL3.length);
        assertArrayEquals(l3, outL3, "the fragments hold the packet as it came, one hop older");
    }

    @Test
    void aPacketHeldForArpIsFragmentedWhenItLeaves() throws Exception {
        mtus(1500, 1400);
        d.service(Protocol.UDP, 53, "rr", 0);
        d.real(Protocol.UDP, 53, 2, 53, ForwardingMethod.MASQ, 1);
        d.ext.inject(TestFrames.withoutDontFragment(TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 40_053, VIP, 53,
                1472)));
        d.dp.poll(0);
        final byte[] request = d.in.drain();
        assertEquals(0x0806, TestFrames.etherType(request), "an ARP request, the datagram held");
        assertNull(d.in.drain());
        d.in.inject(TestFrames.arpReply(INT_MAC, RS_MAC[2], RS[2], DIP_INT));
        d.dp.poll(0);
        final List<byte[]> fragments = drainAll(d.in);
        assertEquals(2, fragments.size());
        assertTrue(TestFrames.checksumsValid(reassemble(fragments)));
        assertEquals(1, d.dp.counter(PathCounters.RELEASED));
        assertEquals(1, d.dp.counter(PathCounters.FRAGMENTED));
    }

    /** Type 3 code 4 with {@code mtu}, between the given hosts, quoting the offending packet's header and 8 bytes. */
    private static void assertFragmentationNeeded(final byte[] icmp, final long dstMac, final long srcMac,
                                                  final int src, final int dst, final int mtu,
                                                  final byte[] offending) {
        assertNotNull(icmp);
        final ByteBuffer b = ByteBuffer.wrap(icmp);
        assertEquals(dstMac, TestFrames.dstMac(icmp));
        assertEquals(srcMac, TestFrames.srcMac(icmp));
        assertEquals(src, TestFrames.saddr(icmp));
        assertEquals(dst, TestFrames.daddr(icmp));
        assertEquals(1, icmp[23], "ICMP");
        assertEquals(3, icmp[34], "destination unreachable");
        assertEquals(4, icmp[35], "fragmentation needed");
        assertEquals(0, b.getShort(38));
        assertEquals(mtu, b.getShort(40) & 0xFFFF, "next-hop MTU");
        assertTrue(TestFrames.checksumsValid(icmp));
        if (offending != null) {
            final byte[] quote = new byte[28];
            System.arraycopy(icmp, 42, quote, 0, 28);
            final byte[] expected = new byte[28];
            System.arraycopy(offending, 14, expected, 0, 28);
            assertArrayEquals(expected, quote, "the packet's header (TTL decremented on the way in, as IPVS's "
                    + "decrement_ttl comes before its MTU check) and first 8 bytes");
        }
    }

    private static List<byte[]> drainAll(final io.jvs.core.port.MemoryPort port) {
        final List<byte[]> out = new ArrayList<>();
        for (byte[] f = port.drain(); f != null; f = port.drain()) {
            out.add(f);
        }
        return out;
    }

    /** The frame the fragments came from, checked for contiguous offsets and one identification. */
    private static byte[] reassemble(final List<byte[]> fragments) {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        final byte[] first = fragments.get(0);
        final int ihl = (first[14] & 0x0F) * 4;
        int expectOffset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            final ByteBuffer b = ByteBuffer.wrap(fragments.get(i));
            final int flags = b.getShort(20) & 0xFFFF;
            assertEquals(expectOffset, (flags & 0x1FFF) * 8, "contiguous");
            assertEquals(i < fragments.size() - 1, (flags & 0x2000) != 0, "MF on all but the last");
            assertEquals(ByteBuffer.wrap(first).getShort(18), b.getShort(18));
            final int len = (b.getShort(16) & 0xFFFF) - ihl;
            data.write(fragments.get(i), 14 + ihl, len);
            expectOffset += len;
        }
        final byte[] out = new byte[14 + ihl + data.size()];
        System.arraycopy(first, 0, out, 0, 14 + ihl);
        System.arraycopy(data.toByteArray(), 0, out, 14 + ihl, data.size());
        final ByteBuffer b = ByteBuffer.wrap(out);
        b.putShort(16, (short) (ihl + data.size()));
        b.putShort(20, (short) (b.getShort(20) & 0x4000));
        return TestFrames.withIpChecksum(out);
    }
}
