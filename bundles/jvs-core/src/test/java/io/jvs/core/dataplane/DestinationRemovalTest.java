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
import static io.jvs.testkit.wire.TestFrames.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.testkit.wire.TestFrames;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to open connections when their realserver is deleted ({@code ipvsadm -d}; sysctl
 * {@code expire_nodest_conn}) or edited ({@code ipvsadm -e}: the forwarding method is bound per connection).
 */
class DestinationRemovalTest {
    private static final int RPORT = 8080;

    private MemoryDirector d;

    @AfterEach
    void close() {
        if (d != null) {
            d.close();
        }
    }

    /** A TCP and a UDP NAT service, rr, each on realservers 0 and 1. */
    private void director(final boolean expireNodestConn) throws TableException {
        d = new MemoryDirector(DataplaneSettings.DEFAULTS.withConnections(1024).withExpireNodestConn(expireNodestConn));
        for (final Protocol p : List.of(Protocol.TCP, Protocol.UDP)) {
            d.service(p, 80, "rr", 0);
            d.real(p, 80, 0, RPORT, ForwardingMethod.MASQ, 1);
            d.real(p, 80, 1, RPORT, ForwardingMethod.MASQ, 1);
        }
        d.learnNeighbours();
    }

    private static byte[] fromClient(final int sport, final int flags, final int payload) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, sport, VIP, 80, flags, payload);
    }

    private static byte[] fromRs(final int rs, final int rport, final int cport, final int flags) {
        return TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], rport, CLIENT, cport, flags, 0);
    }

    /** SYN, SYN-ACK, ACK through the director: an ESTABLISHED connection; returns its realserver. */
    private int established(final int sport) {
        final int rs = realserverOf(d.fromClient(d.syn(sport, 80)));
        assertTrue(rs >= 0);
        assertNotNull(d.fromRealserver(fromRs(rs, RPORT, sport, SYN | ACK)));
        assertNotNull(d.fromClient(fromClient(sport, ACK, 0)));
        assertEquals("ESTABLISHED", tcpEntry(sport).state());
        return rs;
    }

    private void delete(final Protocol p, final int rs) throws TableException {
        d.table.apply(List.of(new TableCommand.DeleteDestination(MemoryDirector.key(p, 80),
                new Endpoint(MemoryDirector.inet(RS[rs]), RPORT))));
    }

    private ConnectionEntry tcpEntry(final int sport) {
        return d.dp.connectionEntries().stream()
                .filter(e -> e.protocol() == Protocol.TCP && e.client().port() == sport).findFirst().orElse(null);
    }

    private void sweep() {
        d.dp.connections().expire(d.dp.connections().capacity());
    }

    /**
     * expire_nodest_conn 0 (the default): the packets of the connection are dropped and counted; as the kernel's
     * {@code ip_vs_in} ("don't restart its timer, and silently drop the packet") they neither move its state nor
     * restart its timer, so it expires by the timer it had when its realserver went.
     */
    @Test
    void withoutExpireNodestConnPacketsAreDroppedAndTheConnectionRunsOutItsTimer() throws Exception {
        director(false);
        final int rs = established(40000);
        delete(Protocol.TCP, rs);
        final long forwarded = d.dp.counter(PathCounters.FORWARDED);

        d.clock.addAndGet(10_000);
        assertNull(d.fromClient(fromClient(40000, ACK, 100)), "dropped");
        assertEquals(1, d.dp.counter(PathCounters.DROP_DEST_GONE));
        ConnectionEntry c = tcpEntry(40000);
        assertNotNull(c, "the connection stays");
        assertEquals(890_000, c.expiresMillis(), "a dropped packet does not restart the timer");

        assertNull(d.fromClient(fromClient(40000, FIN | ACK, 0)));
        assertEquals(2, d.dp.counter(PathCounters.DROP_DEST_GONE));
        c = tcpEntry(40000);
        assertEquals("ESTABLISHED", c.state(), "nor move the state");
        assertEquals(forwarded, d.dp.counter(PathCounters.FORWARDED));

        d.clock.addAndGet(889_000);
        sweep();
        assertNotNull(tcpEntry(40000));
        d.clock.addAndGet(1_001);
        sweep();
        assertNull(tcpEntry(40000), "expired by its timer");
        assertEquals(0, d.dp.connections().size());

        // A new connection from the same client port goes to the realserver that is left.
        final byte[] again = d.fromClient(d.syn(40000, 80));
        assertNotNull(again);
        assertEquals(1 - rs, realserverOf(again));
        assertEquals(RS[1 - rs], TestFrames.daddr(again));
    }

    @Test
    void withoutExpireNodestConnAUdpFlowIsBlackholedUntilItsTimerRunsOut() throws Exception {
        director(false);
        final byte[] datagram = TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 5000, VIP, 80, 10);
        final int rs = realserverOf(d.fromClient(datagram.clone()));
        delete(Protocol.UDP, rs);
        // A client that keeps sending more often than the UDP timeout (300 s) must not keep the connection alive.
        for (int i = 0; i < 2; i++) {
            d.clock.addAndGet(100_000);
            assertNull(d.fromClient(datagram.clone()));
            sweep();
        }
        assertEquals(2, d.dp.counter(PathCounters.DROP_DEST_GONE));
        assertEquals(1, d.dp.connections().size());
        d.clock.addAndGet(100_001);
        sweep();
        assertEquals(0, d.dp.connections().size(), "expired 300 s after its last forwarded datagram");
        assertEquals(1 - rs, realserverOf(d.fromClient(datagram.clone())), "scheduled anew");
    }

    /**
     * expire_nodest_conn 1, as {@code ip_vs_in}: the first packet after the deletion ends the connection at once
     * and then goes on as a packet of no connection: a segment that is no SYN is dropped as such, a SYN is
     * scheduled to a realserver that is left.
     */
    @Test
    void withExpireNodestConnTheFirstPacketEndsTheConnection() throws Exception {
        director(true);
        final int rs = established(40000);
        final int other = established(40001);
        assertNotEquals(rs, other, "rr spread the two");
        delete(Protocol.TCP, rs);
        assertEquals(2, d.dp.connections().size(), "deleting does not touch the table; the next packet does");

        assertNull(d.fromClient(fromClient(40000, ACK, 100)));
        assertEquals(1, d.dp.counter(PathCounters.NODEST_EXPIRED));
        assertEquals(1, d.dp.counter(PathCounters.DROP_NOT_SYN), "the ACK went on, and is no SYN");
        assertEquals(0, d.dp.counter(PathCounters.DROP_DEST_GONE));
        assertNull(tcpEntry(40000), "expired at once");
        assertNotNull(tcpEntry(40001), "the other realserver's connection is untouched");
        assertEquals(1, d.dp.connections().size());

        // Its next segment belongs to no connection and is no SYN.
        assertNull(d.fromClient(fromClient(40000, ACK, 100)));
        assertEquals(1, d.dp.counter(PathCounters.NODEST_EXPIRED));
        assertEquals(2, d.dp.counter(PathCounters.DROP_NOT_SYN));

        final byte[] again = d.fromClient(d.syn(40000, 80));
        assertEquals(other, realserverOf(again), "scheduled to the realserver that is left");
        assertEquals("SYN_RECV", tcpEntry(40000).state());
        final byte[] more = d.fromClient(d.syn(40002, 80));
        assertEquals(other, realserverOf(more));
        final long left = d.table.services().stream().filter(s -> s.config().key().protocol() == Protocol.TCP)
                .findFirst().orElseThrow().destinations().get(0).activeConns();
        assertEquals(1, left, "the remaining realserver's established connection");
    }

    /**
     * With expire_nodest_conn, as Linux since 5.9 ({@code ip_vs_expire_nodest_conn_flush}): deleting a realserver
     * ends its connections at once, not at their next packet, so its counts fall to 0; the other realservers'
     * connections stay. Without it they stay until their timers run out.
     */
    @Test
    void withExpireNodestConnDeletingARealserverEndsItsConnectionsAtOnce() throws Exception {
        for (final boolean expire : new boolean[] {true, false}) {
            director(expire);
            final int rs = established(40010);
            final int other = established(40011);
            assertNotEquals(rs, other, "rr: one connection on each");
            final var gone = d.table.snapshot().services().get(MemoryDirector.key(Protocol.TCP, 80)).destinations()
                    .stream().filter(x -> x.config().endpoint().address().equals(MemoryDirector.inet(RS[rs])))
                    .findFirst().orElseThrow().state();
            delete(Protocol.TCP, rs);
            d.dp.housekeeping();
            assertEquals(expire ? 0 : 1, gone.activeConns(), "expire_nodest_conn " + expire);
            assertEquals(expire ? null : "ESTABLISHED", tcpEntry(40010) == null ? null : tcpEntry(40010).state());
            assertEquals("ESTABLISHED", tcpEntry(40011).state(), "the other realserver's connection stays");
            assertEquals(1, destination(Protocol.TCP, other).activeConns());
            d.close();
            d = null;
        }
    }

    /** The same for a persistent service: the connection goes, and then the template it was under. */
    @Test
    void withExpireNodestConnAPersistentRealserversTemplatesGoToo() throws Exception {
        d = new MemoryDirector(DataplaneSettings.DEFAULTS.withConnections(1024).withExpireNodestConn(true));
        d.service(Protocol.TCP, 80, "rr", 300);
        d.real(Protocol.TCP, 80, 0, RPORT, ForwardingMethod.MASQ, 1);
        d.real(Protocol.TCP, 80, 1, RPORT, ForwardingMethod.MASQ, 1);
        d.learnNeighbours();
        final int rs = established(40020);
        assertEquals(2, d.dp.connections().size(), "the connection and its template");
        delete(Protocol.TCP, rs);
        d.dp.housekeeping();
        assertEquals(0, d.dp.connections().size(), "both gone");
        final int again = realserverOf(d.fromClient(d.syn(40021, 80)));
        assertEquals(1 - rs, again, "the client is pinned anew, to the realserver left");
    }

    /** A SYN that finds its connection's realserver gone (a client reusing its port) is itself scheduled anew. */
    @Test
    void withExpireNodestConnASynOnADeadConnectionIsScheduledAnew() throws Exception {
        director(true);
        final int rs = established(40000);
        delete(Protocol.TCP, rs);
        final byte[] again = d.fromClient(d.syn(40000, 80));
        assertNotNull(again, "the SYN itself is forwarded");
        assertEquals(1 - rs, realserverOf(again));
        assertEquals(1, d.dp.counter(PathCounters.NODEST_EXPIRED));
        assertEquals("SYN_RECV", tcpEntry(40000).state());
        assertEquals(new Endpoint(MemoryDirector.inet(RS[1 - rs]), RPORT), tcpEntry(40000).destination(),
                "the new connection is on the realserver left");
    }

    /** The same for UDP: as Linux since 5.9 (conntrack off), the very datagram that found the dead connection moves. */
    @Test
    void withExpireNodestConnAUdpFlowMovesAtOnce() throws Exception {
        director(true);
        final byte[] datagram = TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 5000, VIP, 80, 10);
        final int rs = realserverOf(d.fromClient(datagram.clone()));
        delete(Protocol.UDP, rs);
        final byte[] moved = d.fromClient(datagram.clone());
        assertNotNull(moved, "not dropped");
        assertEquals(1 - rs, realserverOf(moved));
        assertEquals(RS[1 - rs], TestFrames.daddr(moved));
        assertEquals(1, d.dp.counter(PathCounters.NODEST_EXPIRED));
        assertEquals(0, d.dp.counter(PathCounters.DROP_DEST_GONE));
        assertEquals(1, d.dp.connections().size(), "the old connection gone, the new one made");
        assertEquals(1 - rs, realserverOf(d.fromClient(datagram.clone())), "and the flow stays there");
        assertEquals(1, d.dp.counter(PathCounters.NODEST_EXPIRED));
    }

    /**
     * A realserver deleted and added again (a health checker's flap) is the same one, as the kernel takes it back
     * from its trash: its open connection flows again, and its counts and counters carry on.
     */
    @Test
    void aRealserverAddedAgainIsRevivedWithItsConnections() throws Exception {
        director(false);
        final int rs = established(40000);
        delete(Protocol.TCP, rs);
        assertNull(d.fromClient(fromClient(40000, ACK, 100)), "dropped while deleted");
        assertEquals(1, d.dp.counter(PathCounters.DROP_DEST_GONE));

        d.real(Protocol.TCP, 80, rs, RPORT, ForwardingMethod.MASQ, 2);
        final byte[] flows = d.fromClient(fromClient(40000, ACK, 100));
        assertNotNull(flows, "the open connection flows again");
        assertEquals(rs, realserverOf(flows));
        assertEquals("ESTABLISHED", tcpEntry(40000).state());
        final var revived = destination(Protocol.TCP, rs);
        assertEquals(1, revived.activeConns(), "its established connection still counts");
        assertEquals(2, revived.config().weight(), "with the settings it was added with");
        assertEquals(1, revived.stats().conns(), "its counters carry on");
        assertEquals(3, revived.stats().inPkts(), "SYN, ACK and the one after its return, not the one dropped");
    }

    /**
     * {@code ipvsadm -C} then a restore, as an init script's reload: the kernel's trash is keyed by the service's
     * address, so the re-created service takes the same realservers back and the open connection flows again,
     * counted in the new service. Between the two the address is no VIP of the core's: its packets are left to
     * the kernel (which does not own it either).
     */
    @Test
    void anOpenConnectionSurvivesClearAndRestore() throws Exception {
        director(false);
        final int rs = established(40001);
        d.table.apply(List.of(new TableCommand.Clear()));
        final long passed = d.dp.counter(PathCounters.PASSED);
        assertNull(d.fromClient(fromClient(40001, ACK, 100)), "not forwarded while its service is gone");
        assertEquals(passed + 1, d.dp.counter(PathCounters.PASSED));

        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 1 - rs, RPORT, ForwardingMethod.MASQ, 1);
        d.real(Protocol.TCP, 80, rs, RPORT, ForwardingMethod.MASQ, 1);
        final byte[] flows = d.fromClient(fromClient(40001, ACK, 100));
        assertNotNull(flows, "the open connection flows again");
        assertEquals(rs, realserverOf(flows));
        assertNotNull(d.fromRealserver(fromRs(rs, RPORT, 40001, ACK)), "both ways");
        assertEquals("ESTABLISHED", tcpEntry(40001).state());
        assertEquals(1, destination(Protocol.TCP, rs).activeConns(), "its established connection still counts");
        final var svc = d.table.services().stream().filter(s -> s.config().key().protocol() == Protocol.TCP)
                .findFirst().orElseThrow().stats();
        assertEquals(1, svc.inPkts(), "the new service counts the packet after its return");
        assertEquals(1, svc.outPkts());
    }

    /** Once nothing has pointed to a deleted realserver for the trash period, adding it again makes a new one. */
    @Test
    void aRealserverAddedAfterTheTrashPeriodIsNew() throws Exception {
        director(false);
        final byte[] datagram = TestFrames.udp(EXT_MAC, CLIENT_MAC, CLIENT, 5000, VIP, 80, 10);
        final int rs = realserverOf(d.fromClient(datagram.clone()));
        delete(Protocol.UDP, rs);
        d.clock.addAndGet(300_001);
        sweep();
        assertEquals(0, d.dp.connections().size(), "its connection expired");
        d.dp.housekeeping();
        d.clock.addAndGet(120_000);
        d.dp.housekeeping();
        d.real(Protocol.UDP, 80, rs, RPORT, ForwardingMethod.MASQ, 1);
        assertEquals(0, destination(Protocol.UDP, rs).stats().conns(), "a new realserver, counters from 0");
    }

    private io.jvs.api.DestinationInfo destination(final Protocol p, final int rs) {
        return d.table.services().stream().filter(s -> s.config().key().protocol() == p)
                .findFirst().orElseThrow().destinations().stream()
                .filter(x -> x.config().endpoint().address().equals(MemoryDirector.inet(RS[rs]))).findFirst()
                .orElseThrow();
    }

    /**
     * {@code ipvsadm -e ... -g} on a NAT realserver: as the kernel binds the forwarding method (and xmit
     * function) when it creates a connection, the open connection keeps NAT in both directions; a new one uses
     * direct routing.
     */
    @Test
    void theForwardingMethodIsBoundWhenTheConnectionIsMade() throws Exception {
        d = new MemoryDirector();
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 0, 80, ForwardingMethod.MASQ, 1);
        d.learnNeighbours();
        final byte[] nat = d.fromClient(d.syn(41000, 80));
        assertEquals(RS[0], TestFrames.daddr(nat));

        d.table.apply(List.of(new TableCommand.EditDestination(MemoryDirector.key(Protocol.TCP, 80),
                MemoryDirector.dest(0, 80, ForwardingMethod.ROUTE, 1, 0))));
        assertEquals(ForwardingMethod.ROUTE, d.table.services().get(0).destinations().get(0).config().method());

        final byte[] back = d.fromRealserver(fromRs(0, 80, 41000, SYN | ACK));
        assertNotNull(back, "the open connection's reply is still translated");
        assertEquals(VIP, TestFrames.saddr(back));
        assertTrue(TestFrames.checksumsValid(back));
        final byte[] ack = d.fromClient(fromClient(41000, ACK, 20));
        assertNotNull(ack);
        assertEquals(RS[0], TestFrames.daddr(ack), "still NAT");
        assertEquals(RS_MAC[0], TestFrames.dstMac(ack));
        assertTrue(TestFrames.checksumsValid(ack));
        assertEquals("ESTABLISHED", tcpEntry(41000).state());

        final byte[] syn = d.syn(41001, 80);
        final byte[] dr = d.fromClient(syn.clone());
        assertNotNull(dr);
        assertEquals(RS_MAC[0], TestFrames.dstMac(dr));
        assertEquals(VIP, TestFrames.daddr(dr), "direct routing leaves the IP packet alone but for its TTL");
        final byte[] l3 = Arrays.copyOfRange(TestFrames.withTtl(syn, 63), 14, syn.length);
        assertArrayEquals(l3, Arrays.copyOfRange(dr, 14, dr.length));
        // A DR connection sees no replies: the client's ACK establishes it (INPUT_ONLY).
        assertNotNull(d.fromClient(fromClient(41001, ACK, 0)));
        assertEquals("ESTABLISHED", tcpEntry(41001).state());
        assertEquals(2, d.table.services().get(0).destinations().get(0).activeConns());
    }
}
