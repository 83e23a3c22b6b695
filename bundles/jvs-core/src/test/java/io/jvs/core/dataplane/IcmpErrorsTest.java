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
 * {@code decrement_ttl} on the way in, {@code ip_forward} on the way back), a global budget on errors
 * ({@code icmp_msgs_per_sec}, {@code icmp_msgs_burst}) and a limit per destination host ({@code icmp_ratelimit}).
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
        for (int i = 0; i < 80; i++) {                        // each from a host of its own: no host's limit
            sent += synTo81(host(i), 41_000);
        }
        assertEquals(IcmpBudget.BURST, sent, "the burst, then nothing within the same millisecond");
        assertEquals(80 - IcmpBudget.BURST, d.dp.counter(PathCounters.ICMP_LIMITED));
        assertEquals(80, d.dp.counter(PathCounters.DROP_NO_DESTINATION), "every packet still dropped and counted");

        d.clock.addAndGet(10);                                // 10 ms: 10 more at 1000 a second
        sent = 0;
        for (int i = 0; i < 30; i++) {
            sent += synTo81(host(100 + i), 42_000);
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
    void aHostGetsABurstOfSixErrorsThenOneASecondAndOtherHostsAreNotHeldBack() throws Exception {
        d.service(Protocol.TCP, 81, "rr", 0);                // no realserver: port unreachable each
        d.learnNeighbours();
        int sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += synTo81(CLIENT, 41_000 + i);
        }
        assertEquals(IcmpPeerLimit.BURST_FACTOR, sent, "icmp_ratelimit's burst, well within the global one");
        assertEquals(10 - IcmpPeerLimit.BURST_FACTOR, d.dp.counter(PathCounters.ICMP_LIMITED));
        assertEquals(10, d.dp.counter(PathCounters.DROP_NO_DESTINATION), "every packet still dropped and counted");

        assertEquals(1, synTo81(host(1), 41_100), "another host is not held back by the first one's limit");

        d.clock.addAndGet(999);
        assertEquals(0, synTo81(CLIENT, 41_200), "999 ms are not yet worth an error");
        d.clock.addAndGet(1);
        assertEquals(1, synTo81(CLIENT, 41_201), "one a second");
        assertEquals(0, synTo81(CLIENT, 41_202));

        d.clock.addAndGet(60_000);
        sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += synTo81(CLIENT, 41_300 + i);
        }
        assertEquals(IcmpPeerLimit.BURST_FACTOR, sent, "a minute idle is worth a burst of 6, no more");
    }

    @Test
    void portUnreachableAndTimeExceededShareTheHostsLimit() throws Exception {
        d.service(Protocol.TCP, 81, "rr", 0);
        service(ForwardingMethod.MASQ);                        // port 80: a TTL of 1 earns time exceeded
        int unreachable = 0;
        for (int i = 0; i < 3; i++) {
            unreachable += synTo81(CLIENT, 41_000 + i);
        }
        int exceeded = 0;
        for (int i = 0; i < 5; i++) {
            assertNull(d.fromClient(TestFrames.withTtl(d.syn(42_000 + i, 80), 1)));
            exceeded += drainCount();
        }
        assertEquals(3, unreachable);
        assertEquals(IcmpPeerLimit.BURST_FACTOR - 3, exceeded);
        assertEquals(2, d.dp.counter(PathCounters.ICMP_LIMITED));
    }

    @Test
    void anErrorRefusedForItsHostSpendsNoGlobalCredit() throws Exception {
        d.service(Protocol.TCP, 81, "rr", 0);
        d.learnNeighbours();
        int sent = 0;
        for (int i = 0; i < 100; i++) {                       // 6 sent, 94 refused for the host
            sent += synTo81(CLIENT, 41_000 + i);
        }
        assertEquals(IcmpPeerLimit.BURST_FACTOR, sent);
        sent = 0;
        for (int i = 0; i < IcmpBudget.BURST; i++) {          // the same millisecond, a host each
            sent += synTo81(host(i), 42_000);
        }
        assertEquals(IcmpBudget.BURST - IcmpPeerLimit.BURST_FACTOR, sent,
                "as Linux since 'icmp: change the order of rate limits': only errors sent spend the budget");
        assertEquals(100, d.dp.counter(PathCounters.ICMP_LIMITED), "94 refused for the host, 6 for the budget");
    }

    @Test
    void fragmentationNeededIsNotLimitedPerHostEither() throws Exception {
        d.service(Protocol.TCP, 81, "rr", 0);
        service(ForwardingMethod.MASQ);
        int sent = 0;
        for (int i = 0; i < 10; i++) {
            sent += synTo81(CLIENT, 41_000 + i);
        }
        assertEquals(IcmpPeerLimit.BURST_FACTOR, sent, "the client's limit is spent");
        d.dp.routes(MemoryDirector.routes(1500, 1400));
        assertNotNull(d.fromClient(d.syn(43_000, 80)));
        for (int i = 0; i < 10; i++) {
            d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, 43_000, VIP, 80, ACK, 1460));
            assertNotNull(d.ext.drain(), "fragmentation needed " + i + " sent: path MTU discovery must work");
        }
        assertEquals(10, d.dp.counter(PathCounters.DROP_FRAG_NEEDED));
        assertEquals(10 - IcmpPeerLimit.BURST_FACTOR, d.dp.counter(PathCounters.ICMP_LIMITED));
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

    /** A SYN from {@code source} to port 81 (a service without realservers); returns the ICMP errors it earned. */
    private int synTo81(final int source, final int sport) {
        d.ext.inject(TestFrames.tcp(EXT_MAC, CLIENT_MAC, source, sport, VIP, 81, TestFrames.SYN, 0));
        d.dp.poll(0);
        return drainCount();
    }

    /** The {@code i}th of a range of client hosts (TEST-NET-2, beyond the director's subnets). */
    private static int host(final int i) {
        return TestFrames.ip("198.51.100.0") + 1 + i;
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
