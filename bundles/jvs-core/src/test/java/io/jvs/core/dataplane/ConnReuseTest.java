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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.TableCommand;
import io.jvs.testkit.wire.TestFrames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A SYN that reuses the client port of a connection still tracked (conn_reuse_mode, as {@code ip_vs_in} and
 * {@code is_new_conn_expected}): scheduled anew when leaving the old connection is safe, else it follows it.
 */
class ConnReuseTest {
    private static final int PORT = 80;
    private static final int RPORT = 8080;

    private MemoryDirector d;

    @AfterEach
    void close() {
        if (d != null) {
            d.close();
        }
    }

    /** Three realservers, rr, forwarding method {@code m}. */
    private void director(final DataplaneSettings settings, final ForwardingMethod m) throws Exception {
        d = new MemoryDirector(settings.withConnections(1024));
        d.service(Protocol.TCP, PORT, "rr", 0);
        for (int i = 0; i < 3; i++) {
            d.real(Protocol.TCP, PORT, i, m == ForwardingMethod.MASQ ? RPORT : PORT, m, 1);
        }
        d.learnNeighbours();
    }

    private int syn(final int sport) {
        final int rs = realserverOf(d.fromClient(d.syn(sport, PORT)));
        assertTrue(rs >= 0);
        return rs;
    }

    private void fromClient(final int sport, final int flags) {
        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, sport, VIP, PORT, flags, 0));
    }

    private String state(final int sport) {
        final List<ConnectionEntry> all = d.dp.connectionEntries();
        assertEquals(1, all.size(), all.toString());
        return all.get(0).state();
    }

    @Test
    void aSynOnAConnectionClosedByAResetIsScheduledAnew() throws Exception {
        director(DataplaneSettings.DEFAULTS, ForwardingMethod.MASQ);
        final int rs = syn(41000);
        d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 41000, SYN | ACK, 0));
        fromClient(41000, ACK);
        fromClient(41000, RST);   // ESTABLISHED to CLOSE (a reset in SYN_RECV would leave the state as it is)
        assertEquals("CLOSE", state(41000));
        assertNotEquals(rs, syn(41000), "rescheduled: rr moved on");
        assertEquals("SYN_RECV", state(41000));
        assertEquals(1, d.dp.counter(PathCounters.REUSED));
    }

    /** With conn_reuse_mode 1 (the default) a DR connection in FIN_WAIT is not left: bit 2 is needed for that. */
    @Test
    void aDirectRoutingSynOnFinWaitFollowsTheOldConnectionUnlessBit2IsSet() throws Exception {
        for (final int mode : new int[] {1, 3}) {
            director(DataplaneSettings.DEFAULTS.withConnReuseMode(mode), ForwardingMethod.ROUTE);
            final int rs = syn(41001);
            fromClient(41001, ACK);
            fromClient(41001, FIN | ACK);
            assertEquals("FIN_WAIT", state(41001));
            final int again = syn(41001);
            if (mode == 1) {
                assertEquals(rs, again, "mode 1: the SYN follows the old connection");
                assertEquals(0, d.dp.counter(PathCounters.REUSED));
            } else {
                assertNotEquals(rs, again, "mode 3: rescheduled");
                assertEquals(1, d.dp.counter(PathCounters.REUSED));
            }
            d.close();
            d = null;
        }
    }

    @Test
    void mode0AlwaysFollowsTheOldConnection() throws Exception {
        director(DataplaneSettings.DEFAULTS.withConnReuseMode(0), ForwardingMethod.MASQ);
        final int rs = syn(41002);
        d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 41002, SYN | ACK, 0));
        fromClient(41002, ACK);
        fromClient(41002, FIN | ACK);
        d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 41002, FIN | ACK, 0));
        assertEquals("TIME_WAIT", state(41002));
        assertEquals(rs, syn(41002));
        assertEquals(0, d.dp.counter(PathCounters.REUSED));
    }

    /** With expire_nodest_conn a SYN leaves a connection of a quiescent realserver (weight 0) whatever its state. */
    @Test
    void withExpireNodestConnASynLeavesAQuiescentRealserversConnection() throws Exception {
        for (final boolean expire : new boolean[] {true, false}) {
            director(DataplaneSettings.DEFAULTS.withExpireNodestConn(expire), ForwardingMethod.MASQ);
            final int rs = syn(41003);
            d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 41003, SYN | ACK, 0));
            fromClient(41003, ACK);
            assertEquals("ESTABLISHED", state(41003));
            d.table.apply(List.of(new TableCommand.EditDestination(MemoryDirector.key(Protocol.TCP, PORT),
                    MemoryDirector.dest(rs, RPORT, ForwardingMethod.MASQ, 0, 0))));
            final int again = syn(41003);
            if (expire) {
                assertNotEquals(rs, again, "rescheduled away from the quiescent realserver");
                assertEquals(1, d.dp.counter(PathCounters.REUSED));
            } else {
                assertEquals(rs, again, "the SYN follows its established connection");
            }
            d.close();
            d = null;
        }
    }

    /**
     * A connection under a persistence template is not left in TIME_WAIT ({@code is_new_conn_expected} returns
     * false for a controlled connection): the SYN follows it, and no new connection is counted; with
     * expire_nodest_conn and the realserver quiescent it is left all the same.
     */
    @Test
    void aPersistentConnectionIsLeftOnlyForAQuiescentRealserver() throws Exception {
        for (final boolean quiesce : new boolean[] {false, true}) {
            d = new MemoryDirector(DataplaneSettings.DEFAULTS.withExpireNodestConn(quiesce).withConnections(1024));
            d.service(Protocol.TCP, PORT, "rr", 300);
            for (int i = 0; i < 3; i++) {
                d.real(Protocol.TCP, PORT, i, RPORT, ForwardingMethod.MASQ, 1);
            }
            d.learnNeighbours();
            final int rs = syn(41004);
            d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 41004, SYN | ACK, 0));
            fromClient(41004, ACK);
            fromClient(41004, FIN | ACK);
            d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[rs], RS[rs], RPORT, CLIENT, 41004, FIN | ACK, 0));
            if (quiesce) {
                d.table.apply(List.of(new TableCommand.EditDestination(MemoryDirector.key(Protocol.TCP, PORT),
                        MemoryDirector.dest(rs, RPORT, ForwardingMethod.MASQ, 0, 0))));
            }
            final long conns = d.dp.totals().snapshot().conns();
            final int again = syn(41004);
            if (quiesce) {
                assertEquals(1, d.dp.counter(PathCounters.REUSED), "left: its realserver is quiescent");
                assertEquals(conns + 1, d.dp.totals().snapshot().conns());
            } else {
                assertEquals(rs, again, "the SYN follows the controlled connection");
                assertEquals(0, d.dp.counter(PathCounters.REUSED));
                assertEquals(conns, d.dp.totals().snapshot().conns(), "no new connection");
            }
            d.close();
            d = null;
        }
    }
}
