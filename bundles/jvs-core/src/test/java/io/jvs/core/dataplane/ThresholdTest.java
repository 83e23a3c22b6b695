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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.DestinationInfo;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;
import io.jvs.testkit.wire.TestFrames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connection thresholds ({@code -x} upper, {@code -y} lower) in the packet path, as {@code ip_vs_bind_dest} and
 * {@code ip_vs_unbind_dest} keep the overload flag: set when active + inactive reaches the upper threshold,
 * cleared when it drops <em>below</em> the lower one, or below 3/4 of the upper one when no lower is set
 * (ipvsadm(8): "drops below"). And how a connection moves between the active and inactive counts.
 */
class ThresholdTest {
    private static final int RPORT = 8080;

    private final MemoryDirector d = new MemoryDirector();
    private int nextPort = 50000;

    @AfterEach
    void close() {
        d.close();
    }

    /** One NAT realserver (0) with these thresholds, so an overloaded one leaves no realserver at all. */
    private void service(final int upper, final int lower) throws TableException {
        d.service(Protocol.TCP, 80, "rr", 0);
        d.table.apply(List.of(new TableCommand.AddDestination(MemoryDirector.key(Protocol.TCP, 80),
                new DestinationConfig(new Endpoint(MemoryDirector.inet(RS[0]), RPORT), ForwardingMethod.MASQ, 1,
                        upper, lower, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM))));
        d.learnNeighbours();
    }

    /** A new client's SYN: its port when realserver 0 took it, -1 when it was refused (port unreachable). */
    private int connect() {
        final int port = nextPort++;
        final byte[] out = d.fromClient(d.syn(port, 80));
        if (out == null) {
            final byte[] icmp = d.ext.drain();
            assertNotNull(icmp, "a refused SYN gets port unreachable");
            assertEquals(3, icmp[34]);
            assertNull(d.ext.drain());
            return -1;
        }
        assertEquals(0, realserverOf(out));
        return port;
    }

    /** The realserver resets the connection (CLOSE, 10 s); after 10 s the sweep ends it and unbinds it. */
    private void end(final int port) {
        assertNotNull(d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], RPORT, CLIENT, port, RST, 0)));
        d.clock.addAndGet(10_001);
        d.dp.connections().expire(d.dp.connections().capacity());
    }

    private DestinationInfo rs0() {
        return d.table.services().get(0).destinations().get(0);
    }

    private long total() {
        final DestinationInfo i = rs0();
        return i.activeConns() + i.inactiveConns();
    }

    @Test
    void anOverloadedRealserverTakesNewConnectionsOnlyOnceBelowItsLowerThreshold() throws Exception {
        service(4, 2);
        final int[] open = new int[4];
        for (int i = 0; i < 4; i++) {
            open[i] = connect();
            assertTrue(open[i] > 0, "connection " + i + " under the upper threshold");
        }
        assertEquals(4, total());
        assertEquals(-1, connect(), "overloaded at the upper threshold");

        end(open[0]);
        assertEquals(3, total());
        assertEquals(-1, connect(), "3 is not below the lower threshold 2");
        end(open[1]);
        assertEquals(2, total());
        assertEquals(-1, connect(), "2 is not below 2 either");
        end(open[2]);
        assertEquals(1, total());

        assertTrue(connect() > 0, "below the lower threshold: cleared");
        assertTrue(connect() > 0);
        assertTrue(connect() > 0, "3 of 4: not overloaded yet");
        assertEquals(4, total());
        assertEquals(-1, connect(), "overloaded again at 4");
        assertEquals(4, d.dp.counter(PathCounters.DROP_NO_DESTINATION));
    }

    @Test
    void withoutALowerThresholdTheOverloadClearsBelowThreeQuartersOfTheUpper() throws Exception {
        service(4, 0);
        final int[] open = new int[4];
        for (int i = 0; i < 4; i++) {
            open[i] = connect();
        }
        assertEquals(-1, connect());
        end(open[0]);
        assertEquals(3, total());
        assertEquals(-1, connect(), "3 is 3/4 of 4, not below");
        end(open[1]);
        assertEquals(2, total());
        assertTrue(connect() > 0, "2 is below 3/4 of 4");
    }

    @Test
    void raisingTheUpperThresholdClearsTheOverloadAtOnce() throws Exception {
        service(2, 1);
        connect();
        connect();
        assertEquals(-1, connect());
        d.table.apply(List.of(new TableCommand.EditDestination(MemoryDirector.key(Protocol.TCP, 80),
                new DestinationConfig(new Endpoint(MemoryDirector.inet(RS[0]), RPORT), ForwardingMethod.MASQ, 1,
                        3, 1, TunnelType.IPIP, 0, TunnelChecksum.NOCSUM))));
        assertTrue(connect() > 0, "ipvsadm -e with a higher -x clears the flag");
        assertEquals(-1, connect(), "and 3 sets it again");
    }

    /** A connection counts active while ESTABLISHED only: the FIN handshake moves it to the inactive count. */
    @Test
    void aClosingConnectionMovesFromActiveToInactive() throws Exception {
        service(0, 0);
        final int port = connect();
        assertEquals(0, rs0().activeConns());
        assertEquals(1, rs0().inactiveConns(), "SYN_RECV is inactive");
        d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], RPORT, CLIENT, port, SYN | ACK, 0));
        d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, port, VIP, 80, ACK, 0));
        assertEquals("ESTABLISHED", state(port));
        assertEquals(1, rs0().activeConns());
        assertEquals(0, rs0().inactiveConns());

        assertNotNull(d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, port, VIP, 80, FIN | ACK, 0)));
        assertEquals("CLOSE_WAIT", state(port));
        assertEquals(0, rs0().activeConns(), "no longer active");
        assertEquals(1, rs0().inactiveConns());

        assertNotNull(d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], RPORT, CLIENT, port, FIN | ACK, 0)));
        assertNotNull(d.fromClient(TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, port, VIP, 80, ACK, 0)));
        assertEquals("TIME_WAIT", state(port));
        assertEquals(0, rs0().activeConns());
        assertEquals(1, rs0().inactiveConns());

        d.clock.addAndGet(120_001);
        d.dp.connections().expire(d.dp.connections().capacity());
        assertEquals(0, total(), "TIME_WAIT ran out: unbound from the inactive count");
        assertEquals(0, d.dp.connections().size());
    }

    private String state(final int port) {
        return d.dp.connectionEntries().stream().filter(e -> e.client().port() == port).findFirst().orElseThrow()
                .state();
    }
}
