package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.CLIENT;
import static io.jvs.core.dataplane.MemoryDirector.CLIENT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static io.jvs.core.dataplane.MemoryDirector.realserverOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.DestinationInfo;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.testkit.wire.TestFrames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One-packet scheduling ({@code ipvsadm -A -u VIP:port -o}): every datagram of a UDP service is scheduled as a
 * connection of its own, which ends with that datagram ({@code IP_VS_CONN_F_ONE_PACKET}: never hashed), so
 * datagrams from one client port spread over the realservers.
 */
class OnePacketSchedulingTest {
    private static final int PORT = 514;
    private static final int RPORT = 5514;

    private final MemoryDirector d = new MemoryDirector();

    @AfterEach
    void close() {
        d.close();
    }

    /** A UDP rr service on {@link #PORT} with realservers 0, 1, 2 (so rr walks 2, 1, 0: newest first). */
    private void udpService(final boolean onePacket, final int persistence) throws TableException {
        d.table.apply(List.of(new TableCommand.AddService(new ServiceConfig(MemoryDirector.key(Protocol.UDP, PORT),
                "rr", persistence > 0, persistence, ServiceConfig.HOST_MASK_V4, onePacket, 0))));
        for (int i = 0; i < 3; i++) {
            d.real(Protocol.UDP, PORT, i, RPORT, ForwardingMethod.MASQ, 1);
        }
        d.learnNeighbours();
    }

    private static byte[] datagram(final int sport) {
        return TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, sport, VIP, PORT, 16);
    }

    @Test
    void eachDatagramOfOneFlowIsScheduledAnewAndLeavesNoConnection() throws Exception {
        udpService(true, 0);
        final StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            final byte[] out = d.fromClient(datagram(40000));
            assertNotNull(out, "datagram " + i + " forwarded");
            final int rs = realserverOf(out);
            assertTrue(rs >= 0);
            assertEquals(RS[rs], TestFrames.daddr(out), "NAT to the chosen realserver");
            assertEquals(RPORT, TestFrames.dport(out));
            assertEquals(CLIENT, TestFrames.saddr(out));
            assertTrue(TestFrames.checksumsValid(out));
            seq.append(rs);
        }
        assertEquals("210210", seq.toString(), "one flow, rr moves on at every datagram");
        assertEquals(0, d.dp.connections().size(), "a one-packet connection is never hashed");
        assertTrue(d.dp.connectionEntries().isEmpty());

        final ServiceInfo info = d.table.services().get(0);
        assertEquals(6, info.stats().conns(), "each datagram counts as a connection");
        assertEquals(6, info.stats().inPkts());
        for (final DestinationInfo dest : info.destinations()) {
            assertEquals(2, dest.stats().conns());
            assertEquals(0, dest.activeConns() + dest.inactiveConns(), "nothing stays bound");
        }
        assertEquals(6, d.table.totals().conns());
    }

    @Test
    void withoutOnePacketTheFlowStaysOnOneRealserver() throws Exception {
        udpService(false, 0);
        final int first = realserverOf(d.fromClient(datagram(40000)));
        for (int i = 1; i < 6; i++) {
            assertEquals(first, realserverOf(d.fromClient(datagram(40000))));
        }
        assertEquals(1, d.dp.connections().size());
        assertEquals(1, d.table.services().get(0).stats().conns());
    }

    @Test
    void differentFlowsAreScheduledAnewToo() throws Exception {
        udpService(true, 0);
        final StringBuilder seq = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            seq.append(realserverOf(d.fromClient(datagram(40000 + i))));
            seq.append(realserverOf(d.fromClient(datagram(40000 + i))));
        }
        assertEquals("210210", seq.toString());
        assertEquals(0, d.dp.connections().size());
    }

    /**
     * As in IPVS, a NAT reply finds no connection (none was hashed), so it is not translated back: it is left to
     * the kernel like any packet of no connection. One-packet scheduling is for traffic that expects no reply.
     */
    @Test
    void aReplyFindsNoConnectionAndIsLeftToTheKernel() throws Exception {
        udpService(true, 0);
        final int rs = realserverOf(d.fromClient(datagram(40000)));
        final long forwarded = d.dp.counter(PathCounters.FORWARDED);
        final byte[] reply = TestFrames.udp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 40000, 8);
        assertNull(d.fromRealserver(reply));
        assertEquals(1, d.dp.counter(PathCounters.PASSED));
        assertEquals(forwarded, d.dp.counter(PathCounters.FORWARDED));
    }

    /** Persistence still pins: the template is kept (and listed), only the datagram's own connection is not. */
    @Test
    void aPersistentOnePacketServiceKeepsItsTemplate() throws Exception {
        udpService(true, 60);
        final int first = realserverOf(d.fromClient(datagram(40000)));
        for (int i = 1; i < 5; i++) {
            assertEquals(first, realserverOf(d.fromClient(datagram(40000 + i))));
        }
        final List<ConnectionEntry> entries = d.dp.connectionEntries();
        assertEquals(1, entries.size(), entries.toString());
        assertTrue(entries.get(0).template());
        assertEquals(60_000, entries.get(0).expiresMillis());
        assertEquals(5, d.table.services().get(0).stats().conns());
        // The template controls no connection, so it expires by its own timer.
        d.clock.addAndGet(61_000);
        d.dp.connections().expire(d.dp.connections().capacity());
        assertEquals(0, d.dp.connections().size());
        assertEquals(0, d.table.services().get(0).destinations().stream()
                .mapToLong(DestinationInfo::persistentConns).sum());
    }
}
