package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.CLIENT;
import static io.jvs.core.dataplane.MemoryDirector.CLIENT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static io.jvs.testkit.wire.TestFrames.ACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.testkit.wire.TestFrames;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ICMP errors the director sends, as Linux: time exceeded for a packet whose TTL runs out here (IPVS's
 * {@code decrement_ttl} on the way in, {@code ip_forward} on the way back), and a global budget on errors
 * ({@code icmp_msgs_per_sec}, {@code icmp_msgs_burst}).
 */
class IcmpErrorsTest {
    private static final int DIP_INT = TestFrames.ip("10.77.2.1");
    private final MemoryDirector d = new MemoryDirector();

    @AfterEach
    void close() {
        d.close();
    }

    private void service(final ForwardingMethod m) throws Exception {
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 0, 80, m, 1);
        d.learnNeighbours();
    }

    @Test
    void aClientsPacketWithTtlOneGetsTimeExceededFromTheVipForNatAndDr() throws Exception {
        for (final ForwardingMethod m : new ForwardingMethod[] {ForwardingMethod.MASQ, ForwardingMethod.ROUTE}) {
            try (MemoryDirector dir = new MemoryDirector()) {
                dir.service(Protocol.TCP, 80, "rr", 0);
                dir.real(Protocol.TCP, 80, 0, 80, m, 1);
                dir.learnNeighbours();
                final byte[] syn = TestFrames.withTtl(dir.syn(40_000, 80), 1);
                assertNull(dir.fromClient(syn.clone()), m + ": nothing leaves towards the realserver");
                final byte[] icmp = dir.ext.drain();
                assertTimeExceeded(icmp, CLIENT_MAC, EXT_MAC, VIP, CLIENT, syn);
                assertEquals(1, dir.dp.counter(PathCounters.DROP_TTL));
                final byte[] two = dir.fromClient(TestFrames.withTtl(dir.syn(40_001, 80), 2));
                assertNotNull(two, m + ": TTL 2 passes");
                assertEquals(1, TestFrames.ttl(two));
                assertTrue(TestFrames.checksumsValid(two));
            }
        }
    }

    @Test
    void aRealserversReplyWithTtlOneGetsTimeExceededFromTheDirectorsAddress() throws Exception {
        service(ForwardingMethod.MASQ);
        assertNotNull(d.fromClient(d.syn(40_000, 80)));
        final byte[] reply = TestFrames.withTtl(
                TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], 80, CLIENT, 40_000, ACK, 10), 1);
        d.in.inject(reply.clone());
        d.dp.poll(0);
        assertNull(d.ext.drain());
        assertTimeExceeded(d.in.drain(), RS_MAC[0], INT_MAC, DIP_INT, RS[0], reply);
        assertEquals(1, d.dp.counter(PathCounters.DROP_TTL));
    }

    @Test
    void errorsAreLimitedToABurstThenTheRateAndFragmentationNeededIsNot() throws Exception {
        d.service(Protocol.TCP, 81, "rr", 0);                // no realserver: port unreachable each
        d.learnNeighbours();
        int sent = 0;
        for (int i = 0; i < 80; i++) {
            d.ext.inject(d.syn(41_000 + i, 81));
            d.dp.poll(0);
            sent += drainCount();
        }
        assertEquals(IcmpBudget.BURST, sent, "the burst, then nothing within the same millisecond");
        assertEquals(80 - IcmpBudget.BURST, d.dp.counter(PathCounters.ICMP_LIMITED));
        assertEquals(80, d.dp.counter(PathCounters.DROP_NO_DESTINATION), "every packet still dropped and counted");

        d.clock.addAndGet(10);                                // 10 ms: 10 more at 1000 a second
        sent = 0;
        for (int i = 0; i < 30; i++) {
            d.ext.inject(d.syn(42_000 + i, 81));
            d.dp.poll(0);
            sent += drainCount();
        }
        assertEquals(10, sent);

        // Path MTU discovery is never starved by the spent budget.
        d.real(Protocol.TCP, 81, 0, 81, ForwardingMethod.MASQ, 1);
        d.dp.routes(MemoryDirector.routes(1500, 1400));
        assertNotNull(d.fromClient(d.syn(43_000, 81)));
        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 43_000, VIP, 81, ACK, 1460));
        assertNotNull(d.ext.drain(), "fragmentation needed sent");
        assertEquals(1, d.dp.counter(PathCounters.DROP_FRAG_NEEDED));
    }

    @Test
    void packetsToAVipFromMartianSourcesAreDroppedAndNeverAnswered() throws Exception {
        d.service(Protocol.TCP, 81, "rr", 0);                // no realserver: would earn port unreachable
        service(ForwardingMethod.MASQ);
        final String[] martians = {"0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.255.255.255",
            "255.255.255.255", "10.77.1.1" /* the DIP */, "10.77.1.255" /* ext's broadcast */, "10.77.2.255",
            "10.77.1.100" /* the VIP */};
        for (final String source : martians) {
            final int src = TestFrames.ip(source);
            for (final int port : new int[] {80, 81}) {
                d.ext.inject(TestFrames.tcp(EXT_MAC, CLIENT_MAC, src, 40_000, VIP, port, TestFrames.SYN, 0));
            }
            d.ext.inject(TestFrames.ping(EXT_MAC, CLIENT_MAC, src, VIP));
        }
        d.dp.poll(0);
        assertNull(d.in.drain(), "nothing scheduled");
        assertNull(d.ext.drain(), "nothing answered");
        assertEquals(3L * martians.length, d.dp.counter(PathCounters.DROP_MARTIAN));
        assertEquals(0, d.dp.connectionEntries().size());
        for (final String ok : new String[] {"1.0.0.1", "10.77.1.2", "126.255.255.255", "128.0.0.1", "223.1.1.1",
            "240.0.0.1"}) {
            assertEquals(false, Worker.martian(TestFrames.ip(ok)), ok);
        }
    }

    @Test
    void aRealserversFrameToTheBroadcastMacIsNotForwarded() throws Exception {
        service(ForwardingMethod.MASQ);
        assertNotNull(d.fromClient(d.syn(40_000, 80)));
        final byte[] reply = TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], 80, CLIENT, 40_000, TestFrames.SYN | ACK, 0);
        ByteBuffer.wrap(reply).putShort(0, (short) 0xFFFF).putInt(2, -1);
        assertNull(d.fromRealserver(reply), "ip_forward forwards only what was sent to its MAC");
        assertEquals(1, d.dp.counter(PathCounters.PASSED));
        assertEquals(1, d.dp.counter(PathCounters.FORWARDED), "the SYN only");
    }

    @Test
    void aFrameSentToTheBroadcastMacEarnsNoError() throws Exception {
        service(ForwardingMethod.MASQ);
        final byte[] syn = TestFrames.withTtl(d.syn(40_000, 80), 1);
        ByteBuffer.wrap(syn).putShort(0, (short) 0xFFFF).putInt(2, -1);
        assertNull(d.fromClient(syn));
        assertNull(d.ext.drain(), "no time exceeded for a link-layer broadcast (Linux: not PACKET_HOST)");
        assertEquals(1, d.dp.counter(PathCounters.DROP_TTL));
        assertEquals(0, d.dp.counter(PathCounters.ICMP_LIMITED));
    }

    private int drainCount() {
        int n = 0;
        while (d.ext.drain() != null) {
            n++;
        }
        return n;
    }

    private static void assertTimeExceeded(final byte[] icmp, final long dstMac, final long srcMac, final int src,
                                           final int dst, final byte[] offending) {
        assertNotNull(icmp);
        assertEquals(dstMac, TestFrames.dstMac(icmp));
        assertEquals(srcMac, TestFrames.srcMac(icmp));
        assertEquals(src, TestFrames.saddr(icmp));
        assertEquals(dst, TestFrames.daddr(icmp));
        assertEquals(1, icmp[23], "ICMP");
        assertEquals(11, icmp[34], "time exceeded");
        assertEquals(0, icmp[35], "TTL exceeded in transit");
        assertEquals(0, ByteBuffer.wrap(icmp).getInt(38));
        assertTrue(TestFrames.checksumsValid(icmp));
        assertArrayEquals(Arrays.copyOfRange(offending, 14, 42), Arrays.copyOfRange(icmp, 42, 70),
                "the packet's header and first 8 bytes as received");
    }
}
