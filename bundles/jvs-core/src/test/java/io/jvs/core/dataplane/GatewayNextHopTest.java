package io.jvs.core.dataplane;

import static io.jvs.core.dataplane.MemoryDirector.EXT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.INT_MAC;
import static io.jvs.core.dataplane.MemoryDirector.RS;
import static io.jvs.core.dataplane.MemoryDirector.RS_MAC;
import static io.jvs.core.dataplane.MemoryDirector.VIP;
import static io.jvs.testkit.wire.TestFrames.ACK;
import static io.jvs.testkit.wire.TestFrames.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.TableCommand;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;
import io.jvs.core.route.Route;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Next hops that are gateways, not the peer itself: a client beyond a router on ext's subnet (default route), and
 * realservers beyond a router on int's. The director resolves and sends to the router's MAC, leaving the peer's
 * address as the IP destination; a DR realserver must be on a connected subnet (the MAC rewrite cannot cross a
 * router), so one behind a gateway is dropped and counted.
 */
class GatewayNextHopTest {
    /** A client on no connected subnet, reached through {@link #EXT_GW}. */
    private static final int REMOTE_CLIENT = TestFrames.ip("198.51.100.7");
    private static final int EXT_GW = TestFrames.ip("10.77.1.254");
    private static final long EXT_GW_MAC = 0x0200_0000_01FEL;
    /** A realserver network behind {@link #INT_GW}. */
    private static final int REMOTE_RS_NET = TestFrames.ip("192.0.2.0");
    private static final int REMOTE_RS = TestFrames.ip("192.0.2.21");
    private static final int INT_GW = TestFrames.ip("10.77.2.254");
    private static final long INT_GW_MAC = 0x0200_0000_02FEL;

    private final MemoryDirector d = new MemoryDirector();

    @AfterEach
    void close() {
        d.close();
    }

    /** The lab's connected routes, a default route via the ext router and 192.0.2.0/24 via the int router. */
    private void gatewayRoutes() {
        d.dp.routes(MemoryDirector.routes(1500, 1500,
                new Route(0, 0, EXT_GW, NatLab.EXT_IFINDEX, 0),
                new Route(REMOTE_RS_NET, 24, INT_GW, NatLab.INT_IFINDEX, 0)));
    }

    private static void assertArpRequest(final byte[] frame, final long senderMac, final int senderIp,
                                         final int target, final String what) {
        assertNotNull(frame, what + ": an ARP request went out");
        final ByteBuffer b = ByteBuffer.wrap(frame);
        assertEquals(0x0806, TestFrames.etherType(frame), what + ": an ARP frame");
        assertEquals(Frames.BROADCAST, TestFrames.dstMac(frame), what + ": broadcast");
        assertEquals(senderMac, TestFrames.srcMac(frame), what + ": from the port's MAC");
        assertEquals(1, b.getShort(20), what + ": a request");
        assertEquals(senderMac, Frames.getMac(b, 22), what + ": sender MAC");
        assertEquals(senderIp, b.getInt(28), what + ": sender IP, the port's address");
        assertEquals(target, b.getInt(38), what + ": asking for the gateway, not the peer behind it");
    }

    /**
     * NAT, client behind the ext router: the SYN reaches the realserver with the client's address; the reply, after
     * SNAT to the VIP, waits for the router's MAC (ARP for the router, not the client), and leaves to it once the
     * router answers, still addressed to the client; later packets go straight to the learnt router MAC.
     */
    @Test
    void natReplyToAClientBeyondTheExtRouterGoesToTheRoutersMac() throws Exception {
        gatewayRoutes();
        d.service(Protocol.TCP, 80, "rr", 0);
        d.real(Protocol.TCP, 80, 0, 8080, ForwardingMethod.MASQ, 1);
        d.dp.neighbours().learn(RS[0], RS_MAC[0], d.clock.get());   // the realserver only: no router, no client

        // The client's SYN arrives from the router's MAC.
        final byte[] in = d.fromClient(TestFrames.tcp(EXT_MAC, EXT_GW_MAC, REMOTE_CLIENT, 40_000, VIP, 80, SYN, 0));
        assertNotNull(in, "the SYN reaches the realserver");
        assertEquals(RS_MAC[0], TestFrames.dstMac(in));
        assertEquals(REMOTE_CLIENT, TestFrames.saddr(in), "the realserver sees the remote client's address");
        assertEquals(RS[0], TestFrames.daddr(in));
        assertTrue(TestFrames.checksumsValid(in));
        assertNull(d.ext.drain(), "nothing went back out of ext");

        final byte[] synAck = TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], 8080, REMOTE_CLIENT, 40_000, SYN | ACK, 0);
        assertArpRequest(d.fromRealserver(synAck), EXT_MAC, NatLab.EXT_IP, EXT_GW, "reply towards the client");
        assertNull(d.ext.drain(), "the reply itself is held until the router's MAC is known");
        assertEquals(1, d.dp.counter(PathCounters.FORWARDED), "only the SYN was forwarded so far");
        assertEquals(-1, d.dp.neighbours().lookup(REMOTE_CLIENT), "the client is never resolved");

        d.ext.inject(TestFrames.arpReply(EXT_MAC, EXT_GW_MAC, EXT_GW, NatLab.EXT_IP));
        d.dp.poll(0);
        final byte[] out = d.ext.drain();
        assertNotNull(out, "released once the router answered");
        assertNull(d.ext.drain());
        assertEquals(1, d.dp.counter(PathCounters.RELEASED));
        assertEquals(EXT_GW_MAC, TestFrames.dstMac(out), "to the router's MAC");
        assertEquals(EXT_MAC, TestFrames.srcMac(out));
        assertEquals(0x0800, TestFrames.etherType(out));
        assertEquals(VIP, TestFrames.saddr(out), "SNAT to the VIP");
        assertEquals(80, TestFrames.sport(out));
        assertEquals(REMOTE_CLIENT, TestFrames.daddr(out), "the client's address untouched as IP destination");
        assertEquals(40_000, TestFrames.dport(out));
        assertEquals(63, TestFrames.ttl(out));
        assertTrue(TestFrames.checksumsValid(out), "IP and TCP checksums after the rewrite");

        // The router is now known: the next reply leaves at once, without ARP.
        final byte[] next = d.fromRealserver(TestFrames.tcp(INT_MAC, RS_MAC[0], RS[0], 8080, REMOTE_CLIENT, 40_000,
                ACK, 10));
        assertNotNull(next);
        assertEquals(0x0800, TestFrames.etherType(next), "no second ARP request");
        assertEquals(EXT_GW_MAC, TestFrames.dstMac(next));
        assertEquals(REMOTE_CLIENT, TestFrames.daddr(next));
        assertTrue(TestFrames.checksumsValid(next));
        assertEquals(1, d.dp.counter(PathCounters.RELEASED));
    }

    /**
     * NAT realserver on a network behind the int router: housekeeping resolves the router (not the realserver) ahead
     * of traffic, and the DNATed SYN leaves to the router's MAC addressed to the realserver.
     */
    @Test
    void natRealserverBehindTheIntRouterIsReachedThroughTheRoutersMac() throws Exception {
        gatewayRoutes();
        d.service(Protocol.TCP, 80, "rr", 0);
        remoteReal(80, ForwardingMethod.MASQ, 8080);

        final long sent = d.in.controlSent();
        d.dp.housekeeping();
        assertEquals(sent + 1, d.in.controlSent(), "one ARP request on int ahead of traffic");
        assertArpRequest(d.in.lastControl(), INT_MAC, NatLab.INT_IP, INT_GW, "resolving the remote realserver");

        final byte[] syn = d.syn(40_001, 80);
        assertNull(d.fromClient(syn), "held: the router's MAC is not known yet (asked less than a second ago)");
        d.in.inject(TestFrames.arpReply(INT_MAC, INT_GW_MAC, INT_GW, NatLab.INT_IP));
        d.dp.poll(0);
        final byte[] out = d.in.drain();
        assertNotNull(out, "released once the router answered");
        assertEquals(INT_GW_MAC, TestFrames.dstMac(out), "to the int router's MAC");
        assertEquals(INT_MAC, TestFrames.srcMac(out));
        assertEquals(REMOTE_RS, TestFrames.daddr(out), "DNAT to the realserver behind the router");
        assertEquals(8080, TestFrames.dport(out));
        assertEquals(MemoryDirector.CLIENT, TestFrames.saddr(out));
        assertTrue(TestFrames.checksumsValid(out));
        assertEquals(1, d.dp.counter(PathCounters.RELEASED));
        assertEquals(0, d.dp.counter(PathCounters.DROP_NOT_CONNECTED));
    }

    /**
     * DR realserver behind a gateway: direct routing only rewrites the MAC, which cannot reach a host beyond a
     * router, so the packet is dropped and counted (Worker.forwardIn), nothing sent towards the router.
     */
    @Test
    void directRoutingToARealserverBehindAGatewayIsDroppedAsNotConnected() throws Exception {
        gatewayRoutes();
        d.service(Protocol.TCP, 22, "rr", 0);
        remoteReal(22, ForwardingMethod.ROUTE, 22);
        d.dp.neighbours().learn(INT_GW, INT_GW_MAC, d.clock.get());   // even with the router's MAC known

        assertNull(d.fromClient(d.syn(40_002, 22)), "nothing leaves through int");
        assertEquals(1, d.dp.counter(PathCounters.DROP_NOT_CONNECTED));
        assertEquals(0, d.dp.counter(PathCounters.FORWARDED));
        assertEquals(0, d.dp.counter(PathCounters.DROP_NO_ROUTE));
        assertNull(d.ext.drain(), "and nothing goes back to the client");
    }

    /** Adds {@link #REMOTE_RS}:{@code rport} to the TCP service VIP:{@code vport}, by method {@code m}. */
    private void remoteReal(final int vport, final ForwardingMethod m, final int rport) throws Exception {
        d.table.apply(List.of(new TableCommand.AddDestination(MemoryDirector.key(Protocol.TCP, vport),
                new DestinationConfig(new Endpoint(MemoryDirector.inet(REMOTE_RS), rport), m, 1, 0, 0,
                        TunnelType.IPIP, 0, TunnelChecksum.NOCSUM))));
    }
}
