package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.neigh.NeighbourTable.REACHABLE_MILLIS;
import static io.jvs.core.neigh.NeighbourTable.REQUEST_INTERVAL_MILLIS;
import static io.jvs.core.neigh.NeighbourTable.UCAST_PROBES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Neighbour ageing through the data plane's housekeeping, with the timings of {@link
 * io.jvs.core.neigh.NeighbourTable}: a realserver learnt from its ARP reply is probed (unicast, from the int
 * port) once its reachable time is up, {@code UCAST_PROBES} times a request interval apart; unanswered, it fails,
 * is asked for again by broadcast, and its packets wait; its ARP reply re-learns it and they flow again.
 */
class NeighbourAgeingTest {
    private final MemoryDirector d = new MemoryDirector();
    private int sport = 50_000;

    @AfterEach
    void close() {
        d.close();
    }

    private void advance(final long millis) {
        d.clock.addAndGet(millis);
    }

    /** A new connection's SYN; returns what left through int. */
    private byte[] syn() {
        return d.fromClient(d.syn(sport++, 80));
    }

    private void arpReplyFromRealserver(final long mac) {
        d.in.inject(TestFrames.arpReply(INT_MAC, mac, RS[0], NatLab.INT_IP));
        d.dp.poll(0);
    }

    /** Runs one housekeeping step; returns the control frame it sent on int, null if none. */
    private byte[] housekeepingOnInt() {
        final long before = d.in.controlSent();
        d.dp.housekeeping();
        final long sent = d.in.controlSent() - before;
        assertTrue(sent <= 1, sent + " control frames on int in one step");
        return sent == 1 ? d.in.lastControl() : null;
    }

    /** An ARP request from the director's int port for the realserver, sent to {@code to}. */
    private static void assertArpForRealserver(final byte[] frame, final long to, final String what) {
        assertNotNull(frame, what + " was not sent");
        final ByteBuffer b = ByteBuffer.wrap(frame);
        assertEquals(0x0806, TestFrames.etherType(frame), what + ": an ARP frame");
        assertEquals(to, TestFrames.dstMac(frame), what + ": Ethernet destination");
        assertEquals(INT_MAC, TestFrames.srcMac(frame), what + ": from the int port");
        assertEquals(1, b.getShort(20), what + ": a request");
        assertEquals(INT_MAC, Frames.getMac(b, 22), what + ": sender MAC, the int port's");
        assertEquals(NatLab.INT_IP, b.getInt(28), what + ": sender IP, the int DIP");
        assertEquals(RS[0], b.getInt(38), what + ": target IP, the realserver");
    }

    private static void assertToRealserver(final byte[] frame, final long mac, final String what) {
        assertNotNull(frame, what + ": nothing left through int");
        assertEquals(0x0800, TestFrames.etherType(frame), what + ": an IPv4 packet, not ARP");
        assertEquals(mac, TestFrames.dstMac(frame), what + ": to the realserver's MAC");
        assertEquals(RS[0], TestFrames.daddr(frame), what);
        assertTrue(TestFrames.checksumsValid(frame), what);
    }

    @Test
    void aStaleRealserverIsProbedFailsUnansweredAndIsRelearntByItsArpReply() throws Exception {
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 0, 8080, ForwardingMethod.MASQ, 1);
        arpReplyFromRealserver(RS_MAC[0]);
        final long learnt = d.clock.get();
        assertEquals(RS_MAC[0], d.dp.neighbours().lookup(RS[0]), "learnt from its ARP reply");
        assertNull(housekeepingOnInt(), "known: not asked for");
        assertToRealserver(syn(), RS_MAC[0], "reachable");

        // REACHABLE: no probe until the reachable time is up. Housekeeping ages the table at most once a request
        // interval (a second), so the next ageing after REACHABLE_MILLIS - 1 comes an interval later.
        advance(REACHABLE_MILLIS - 1);
        assertNull(housekeepingOnInt(), "probed before its reachable time was up");
        advance(REQUEST_INTERVAL_MILLIS);
        final long extControl = d.ext.controlSent();

        // STALE/PROBE: UCAST_PROBES unicast probes, one a request interval; the entry is still used meanwhile.
        for (int probe = 1; probe <= UCAST_PROBES; probe++) {
            assertArpForRealserver(housekeepingOnInt(), RS_MAC[0], "probe " + probe);
            assertEquals(RS_MAC[0], d.dp.neighbours().lookup(RS[0]), "still valid while probed");
            assertToRealserver(syn(), RS_MAC[0], "stale, after probe " + probe);
            advance(REQUEST_INTERVAL_MILLIS);
        }
        assertEquals(extControl, d.ext.controlSent(), "no probe on ext");
        assertEquals(learnt + REACHABLE_MILLIS - 1 + (UCAST_PROBES + 1) * REQUEST_INTERVAL_MILLIS, d.clock.get());

        // FAILED: one interval after the last unanswered probe the entry is invalidated, and the same step's
        // resolution of the realservers asks for it again, by broadcast.
        assertArpForRealserver(housekeepingOnInt(), Frames.BROADCAST, "the request after failing");
        assertEquals(-1, d.dp.neighbours().lookup(RS[0]), "failed after " + UCAST_PROBES + " unanswered probes");
        final long forwarded = d.dp.counter(PathCounters.FORWARDED);
        assertNull(syn(), "held: no MAC, and asked for less than an interval ago");
        advance(REQUEST_INTERVAL_MILLIS);
        assertArpForRealserver(syn(), Frames.BROADCAST, "the worker's request for a packet to a failed neighbour");
        assertNull(d.in.drain(), "the packets wait");
        assertEquals(forwarded, d.dp.counter(PathCounters.FORWARDED));

        // An ARP reply (from a new NIC) re-learns it: both held SYNs leave to the new MAC, new ones follow.
        final long newMac = 0x0200_0000_0A11L;
        arpReplyFromRealserver(newMac);
        final long relearnt = d.clock.get();
        assertEquals(newMac, d.dp.neighbours().lookup(RS[0]));
        assertToRealserver(d.in.drain(), newMac, "first held SYN");
        assertToRealserver(d.in.drain(), newMac, "second held SYN");
        assertNull(d.in.drain());
        assertEquals(2, d.dp.counter(PathCounters.RELEASED));
        assertToRealserver(syn(), newMac, "relearnt");

        // Reachable again with its probe count restarted: silent for the reachable time, then probed, not failed.
        advance(REACHABLE_MILLIS - 1);
        assertNull(housekeepingOnInt(), "probed before the new reachable time was up");
        assertEquals(relearnt + REACHABLE_MILLIS - 1, d.clock.get());
        advance(REQUEST_INTERVAL_MILLIS);
        assertArpForRealserver(housekeepingOnInt(), newMac, "the first probe after re-learning");
        assertEquals(newMac, d.dp.neighbours().lookup(RS[0]));
    }
}
