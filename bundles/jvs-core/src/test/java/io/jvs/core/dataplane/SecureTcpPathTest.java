package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.CLIENT;
import static io.jvs.core.dataplane.MemoryDirector.CLIENT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static io.jvs.testkit.wire.TestFrames.ACK;
import static io.jvs.testkit.wire.TestFrames.FIN;
import static io.jvs.testkit.wire.TestFrames.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jvs.api.ConnectionEntry;
import io.jvs.api.DestinationInfo;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.Timeouts;
import io.jvs.testkit.wire.TestFrames;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP state machine as the packet path drives it: the secure_tcp table ({@code tcp_states_dos}, which holds a
 * connection short of ESTABLISHED until the server's side of the handshake is seen) against the normal one, and
 * {@code ipvsadm --set tcp tcpfin udp} reaching open connections at their next packet.
 */
class SecureTcpPathTest {
    private static final int RPORT = 8080;

    private MemoryDirector d;

    @AfterEach
    void close() {
        if (d != null) {
            d.close();
        }
    }

    /** Port 80 NAT and port 22 DR, each on realserver 0 only. */
    private void director(final boolean secureTcp) throws TableException {
        d = new MemoryDirector(DataplaneSettings.DEFAULTS.withConnections(1024).withSecureTcp(secureTcp));
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 0, RPORT, ForwardingMethod.MASQ, 1);
        d.service(Protocol.TCP, 22, "rr", 0);
        d.real(Protocol.TCP, 22, 0, 22, ForwardingMethod.ROUTE, 1);
        d.learnNeighbours();
    }

    private static byte[] client(final int sport, final int dport, final int flags, final int payload) {
        return TestFrames.tcp(EXT_MAC, CLIENT_MAC, CLIENT, sport, VIP, dport, flags, payload);
    }

    private static byte[] server(final int cport, final int flags, final int payload) {
        return TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], RPORT, CLIENT, cport, flags, payload);
    }

    private ConnectionEntry entry(final int sport) {
        return d.dp.connectionEntries().stream().filter(e -> e.client().port() == sport).findFirst().orElseThrow();
    }

    private DestinationInfo rs0(final int port) {
        return d.table.services().stream().filter(s -> s.config().key().port() == port).findFirst().orElseThrow()
                .destinations().get(0);
    }

    private void sweep() {
        d.dp.connections().expire(d.dp.connections().capacity());
    }

    @Test
    void normallyAClientAckAloneEstablishesANatConnection() throws Exception {
        director(false);
        assertNotNull(d.fromClient(d.syn(40000, 80)));
        assertEquals("SYN_RECV", entry(40000).state());
        assertNotNull(d.fromClient(client(40000, 80, ACK, 0)));
        assertEquals("ESTABLISHED", entry(40000).state());
        assertEquals(1, rs0(80).activeConns());
    }

    /** Under secure_tcp a spoofed ACK after a SYN cannot make the connection ESTABLISHED (IN ack SR->SR). */
    @Test
    void underSecureTcpAClientAckAloneLeavesItInSynRecv() throws Exception {
        director(true);
        assertNotNull(d.fromClient(d.syn(40000, 80)));
        assertEquals("SYN_RECV", entry(40000).state());
        assertNotNull(d.fromClient(client(40000, 80, ACK, 10)), "still forwarded: only the state is stricter");
        final ConnectionEntry c = entry(40000);
        assertEquals("SYN_RECV", c.state());
        assertEquals(60_000, c.expiresMillis(), "on the SYN_RECV timer, not ESTABLISHED's 900 s");
        assertEquals(0, rs0(80).activeConns());
        assertEquals(1, rs0(80).inactiveConns());
    }

    /** SYN -> SYN_RECV, server SYN-ACK -> SYNACK, client ACK stays SYNACK, the server's next segment -> ESTABLISHED. */
    @Test
    void underSecureTcpANatConnectionIsEstablishedByTheServersSide() throws Exception {
        director(true);
        d.fromClient(d.syn(40000, 80));
        assertNotNull(d.fromRealserver(server(40000, SYN | ACK, 0)));
        assertEquals("SYNACK", entry(40000).state());
        assertEquals(120_000, entry(40000).expiresMillis());
        d.fromClient(client(40000, 80, ACK, 0));
        assertEquals("SYNACK", entry(40000).state());
        assertEquals(0, rs0(80).activeConns());
        assertNotNull(d.fromRealserver(server(40000, ACK, 100)));
        assertEquals("ESTABLISHED", entry(40000).state());
        assertEquals(900_000, entry(40000).expiresMillis());
        assertEquals(1, rs0(80).activeConns());
        assertEquals(0, rs0(80).inactiveConns());
    }

    /** Direct routing sees no replies (INPUT_ONLY): secure_tcp starts it in SYNACK, the client's ACK establishes it. */
    @Test
    void directRoutingStartsInSynackUnderSecureTcp() throws Exception {
        director(true);
        assertNotNull(d.fromClient(d.syn(40001, 22)));
        assertEquals("SYNACK", entry(40001).state());
        d.fromClient(client(40001, 22, ACK, 0));
        assertEquals("ESTABLISHED", entry(40001).state());
        assertEquals(1, rs0(22).activeConns());
    }

    @Test
    void directRoutingStartsInSynRecvNormally() throws Exception {
        director(false);
        assertNotNull(d.fromClient(d.syn(40001, 22)));
        assertEquals("SYN_RECV", entry(40001).state());
    }

    /**
     * {@code --set 30 20 0} with a connection open: like the kernel, which takes {@code cp->timeout} from the
     * timeout table at every packet, the open connection keeps its armed timer until its next packet, which arms
     * the new ESTABLISHED timeout; the server's FIN then arms the new FIN_WAIT one. UDP keeps its timeout (0).
     */
    @Test
    void setTimeoutsReachAnOpenTcpConnectionAtItsNextPacket() throws Exception {
        director(false);
        d.fromClient(d.syn(40000, 80));
        d.fromRealserver(server(40000, SYN | ACK, 0));
        d.fromClient(client(40000, 80, ACK, 0));
        assertEquals(900_000, entry(40000).expiresMillis());

        d.table.apply(List.of(new TableCommand.SetTimeouts(new Timeouts(30, 20, 0))));
        d.clock.addAndGet(1_000);
        assertEquals(899_000, entry(40000).expiresMillis(), "the armed timer is left alone");
        assertNotNull(d.fromClient(client(40000, 80, ACK, 50)));
        assertEquals("ESTABLISHED", entry(40000).state());
        assertEquals(30_000, entry(40000).expiresMillis(), "the next packet arms --set's tcp timeout");
        d.clock.addAndGet(29_000);
        sweep();
        assertEquals(1, d.dp.connections().size());
        d.clock.addAndGet(1_001);
        sweep();
        assertEquals(0, d.dp.connections().size(), "expired after 30 s idle, not 900");
        assertEquals(0, rs0(80).activeConns() + rs0(80).inactiveConns());

        // The server closes first: ESTABLISHED -> FIN_WAIT on --set's tcpfin.
        d.fromClient(d.syn(40002, 80));
        d.fromRealserver(server(40002, SYN | ACK, 0));
        d.fromClient(client(40002, 80, ACK, 0));
        assertEquals(30_000, entry(40002).expiresMillis());
        assertNotNull(d.fromRealserver(server(40002, FIN | ACK, 0)));
        assertEquals("FIN_WAIT", entry(40002).state());
        assertEquals(20_000, entry(40002).expiresMillis());
        d.clock.addAndGet(20_001);
        sweep();
        assertEquals(0, d.dp.connections().size());

        assertEquals(new Timeouts(30, 20, 300), d.table.timeouts(), "udp kept");
        // Other states keep their defaults: SYN_RECV is 60 s whatever --set says.
        d.fromClient(d.syn(40003, 80));
        assertEquals(60_000, entry(40003).expiresMillis());
        assertNull(d.fromClient(client(40004, 80, ACK, 0)), "no SYN, no connection");
    }
}
