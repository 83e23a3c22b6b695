package io.jvs.core.route;

import static io.jvs.core.route.Ipv4.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final int ETH0 = 2;
    private static final int MGMT = 3;
    private static final int ETH1 = 4;
    private static final List<Link> LINKS = List.of(new Link(1, "lo", 0, 65536, true),
            new Link(ETH0, "eth0", 0x020000000002L, 1500, true), new Link(MGMT, "mgmt", 0x020000000003L, 1500, true),
            new Link(ETH1, "eth1", 0x020000000004L, 9000, false));
    private static final List<InterfaceAddress> ADDRESSES = List.of(
            new InterfaceAddress(ETH0, of("10.77.1.2"), 24), new InterfaceAddress(ETH0, of("10.77.1.3"), 24),
            new InterfaceAddress(MGMT, of("192.168.1.10"), 24), new InterfaceAddress(ETH1, of("10.88.0.2"), 16));
    private static final List<Route> ROUTES = List.of(
            new Route(0, 0, of("192.168.1.1"), MGMT, 0),
            new Route(of("10.0.0.0"), 8, of("10.77.1.1"), ETH0, 0),
            new Route(of("10.77.1.0"), 24, 0, ETH0, 0),
            new Route(of("10.77.0.0"), 16, of("10.88.0.1"), ETH1, 0),
            new Route(of("192.168.1.0"), 24, 0, MGMT, 0),
            new Route(of("10.88.0.0"), 16, 0, ETH1, 0));
    private static final RouteTable TABLE = new RouteTable(LINKS, ADDRESSES, ROUTES);

    private static long hop(final int ifIndex, final String address) {
        return ((long) ifIndex << 32) | (of(address) & 0xFFFF_FFFFL);
    }

    @Test
    void shouldPreferTheLongestPrefix() {
        assertEquals(hop(ETH0, "10.77.1.9"), TABLE.nextHop(of("10.77.1.9")));      // /24 over /16 and /8
        assertEquals(hop(ETH1, "10.88.0.1"), TABLE.nextHop(of("10.77.2.9")));      // /16 over /8
        assertEquals(hop(ETH0, "10.77.1.1"), TABLE.nextHop(of("10.99.0.1")));      // /8 over /0
    }

    @Test
    void shouldFallBackToTheDefaultRoute() {
        assertEquals(hop(MGMT, "192.168.1.1"), TABLE.nextHop(of("8.8.8.8")));
        assertEquals(hop(MGMT, "192.168.1.1"), TABLE.nextHop(of("255.255.255.254")));
    }

    @Test
    void shouldResolveTheDestinationItselfOnConnectedSubnetsAndTheGatewayOtherwise() {
        final long connected = TABLE.nextHop(of("192.168.1.77"));
        assertEquals(MGMT, RouteTable.hopIfIndex(connected));
        assertEquals(of("192.168.1.77"), RouteTable.hopAddress(connected));
        final long routed = TABLE.nextHop(of("172.16.0.1"));
        assertEquals(MGMT, RouteTable.hopIfIndex(routed));
        assertEquals(of("192.168.1.1"), RouteTable.hopAddress(routed));
    }

    @Test
    void shouldBreakTiesOnTheLowestUnsignedMetricWhateverTheOrder() {
        final Route high = new Route(of("10.9.0.0"), 16, of("10.77.1.1"), ETH0, 100);
        final Route low = new Route(of("10.9.0.0"), 16, of("10.88.0.1"), ETH1, 10);
        final Route huge = new Route(of("10.9.0.0"), 16, of("192.168.1.1"), MGMT, 0xFFFF_FFF0);
        final long expected = hop(ETH1, "10.88.0.1");
        assertEquals(expected, new RouteTable(LINKS, ADDRESSES, List.of(high, low, huge)).nextHop(of("10.9.1.1")));
        assertEquals(expected, new RouteTable(LINKS, ADDRESSES, List.of(huge, low, high)).nextHop(of("10.9.1.1")));
    }

    @Test
    void shouldAnswerMinusOneWithoutARoute() {
        final RouteTable noDefault = new RouteTable(LINKS, ADDRESSES, ROUTES.subList(1, ROUTES.size()));
        assertEquals(-1L, noDefault.nextHop(of("8.8.8.8")));
        assertEquals(-1L, RouteTable.EMPTY.nextHop(of("10.77.1.9")));
        assertEquals(-1L, RouteTable.EMPTY.nextHop(0));
    }

    @Test
    void shouldMatchHostRoutesExactly() {
        final RouteTable host = new RouteTable(LINKS, ADDRESSES, List.of(
                new Route(of("203.0.113.7"), 32, of("10.77.1.1"), ETH0, 0)));
        assertEquals(hop(ETH0, "10.77.1.1"), host.nextHop(of("203.0.113.7")));
        assertEquals(-1L, host.nextHop(of("203.0.113.6")));
    }

    @Test
    void shouldKnowItsOwnAddressesOnly() {
        assertTrue(TABLE.isLocal(of("10.77.1.2")));
        assertTrue(TABLE.isLocal(of("10.77.1.3")));
        assertTrue(TABLE.isLocal(of("192.168.1.10")));
        assertFalse(TABLE.isLocal(of("10.77.1.4")));
        assertFalse(TABLE.isLocal(0));
        assertFalse(RouteTable.EMPTY.isLocal(of("10.77.1.2")));
    }

    @Test
    void shouldTakeTheFirstAddressOfAnInterfaceAsPrimary() {
        assertEquals(of("10.77.1.2"), TABLE.primaryAddress(ETH0));
        assertEquals(of("10.88.0.2"), TABLE.primaryAddress(ETH1));
        assertEquals(0, TABLE.primaryAddress(1));
        assertEquals(0, TABLE.primaryAddress(99));
    }

    @Test
    void shouldFindLinksByIndexAndName() {
        assertEquals("eth1", TABLE.link(ETH1).name());
        assertEquals(9000, TABLE.link("eth1").mtu());
        assertEquals(0x020000000002L, TABLE.link("eth0").mac());
        assertNull(TABLE.link(99));
        assertNull(TABLE.link("eth9"));
        assertNull(RouteTable.EMPTY.link(1));
    }

    @Test
    void shouldKeepOnlyTheNamedInterfacesWhenRestricted() {
        final RouteTable data = TABLE.restrictedTo(Set.of("eth0", "eth1", "absent"));
        assertEquals(List.of(LINKS.get(1), LINKS.get(3)), data.links());
        assertNull(data.link("mgmt"));
        assertEquals(List.of(ADDRESSES.get(0), ADDRESSES.get(1), ADDRESSES.get(3)), data.addresses());
        assertFalse(data.isLocal(of("192.168.1.10")));
        assertEquals(0, data.primaryAddress(MGMT));
        assertEquals(List.of(ROUTES.get(1), ROUTES.get(2), ROUTES.get(3), ROUTES.get(5)), data.routes());
        assertEquals(-1L, data.nextHop(of("8.8.8.8")));                            // the default was via mgmt
        assertEquals(hop(ETH0, "10.77.1.9"), data.nextHop(of("10.77.1.9")));
        assertEquals(RouteTable.EMPTY, TABLE.restrictedTo(Set.of()));
    }

    @Test
    void shouldCompareByContent() {
        final RouteTable same = new RouteTable(List.copyOf(LINKS), List.copyOf(ADDRESSES), List.copyOf(ROUTES));
        assertEquals(TABLE, same);
        assertEquals(TABLE.hashCode(), same.hashCode());
        assertNotEquals(TABLE, TABLE.restrictedTo(Set.of("eth0")));
        assertSame(ROUTES.get(0), TABLE.routes().get(0));
    }

    @Test
    void shouldGiveEachPathTheSmallerOfItsRoutesAndItsLinksMtu() {
        final RouteTable t = new RouteTable(LINKS, ADDRESSES, List.of(
                new Route(of("10.77.1.0"), 24, 0, ETH0, 0),
                new Route(of("10.77.1.11"), 32, 0, ETH0, 0, 1400),
                new Route(of("10.77.1.12"), 32, 0, ETH0, 0, 9000),      // larger than eth0 carries
                new Route(of("10.88.0.0"), 16, 0, ETH1, 0),
                new Route(of("10.99.0.0"), 16, 0, 99, 0),                // a link not (yet) known
                new Route(of("10.98.0.0"), 16, 0, 99, 0, 1280)));
        assertEquals(1500, t.pathMtu(of("10.77.1.10")));
        assertEquals(1400, t.pathMtu(of("10.77.1.11")));
        assertEquals(1500, t.pathMtu(of("10.77.1.12")));
        assertEquals(9000, t.pathMtu(of("10.88.3.4")));
        assertEquals(0, t.pathMtu(of("10.99.1.1")), "unknown: no limit");
        assertEquals(1280, t.pathMtu(of("10.98.1.1")));
        assertEquals(0, t.pathMtu(of("172.16.0.1")), "no route");
        assertEquals(1280, t.smallestMtu());
        assertEquals(Integer.MAX_VALUE, RouteTable.EMPTY.smallestMtu());
        assertEquals(1500, TABLE.smallestMtu());
    }

    @Test
    void shouldKnowItsOwnAndBroadcastAddressesAndPickASourceInThePeersSubnet() {
        for (final String own : new String[] {"10.77.1.2", "10.77.1.3", "10.77.1.255", "192.168.1.10",
            "192.168.1.255", "10.88.0.2", "10.88.255.255"}) {
            assertTrue(TABLE.isOwnOrBroadcast(of(own)), own);
        }
        for (final String other : new String[] {"10.77.1.1", "10.77.1.254", "10.88.1.255", "10.77.2.255"}) {
            assertFalse(TABLE.isOwnOrBroadcast(of(other)), other);
        }
        final RouteTable two = new RouteTable(LINKS, List.of(new InterfaceAddress(ETH0, of("10.77.1.2"), 24),
                new InterfaceAddress(ETH0, of("172.16.5.1"), 24)), List.of());
        assertEquals(of("172.16.5.1"), two.sourceFor(ETH0, of("172.16.5.9")), "the address in the peer's subnet");
        assertEquals(of("10.77.1.2"), two.sourceFor(ETH0, of("10.77.1.9")));
        assertEquals(of("10.77.1.2"), two.sourceFor(ETH0, of("192.0.2.1")), "else the primary");
        assertEquals(0, two.sourceFor(MGMT, of("192.0.2.1")));
    }

    @Test
    void shouldNotAllocateWhenLookingUp() {
        final java.lang.management.ThreadMXBean platform = ManagementFactory.getThreadMXBean();
        assumeTrue(platform instanceof com.sun.management.ThreadMXBean, "HotSpot thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) platform;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final int rounds = 100_000;
        lookups(rounds);                                                           // warm-up: interpreter, C1, C2
        final long before = threads.getCurrentThreadAllocatedBytes();
        final long sink = lookups(rounds);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= 4096, allocated + " bytes allocated in " + rounds + " rounds");
        assertTrue(sink != 0);
    }

    private static long lookups(final int rounds) {
        final int base = of("10.77.0.0");
        long acc = 0;
        for (int i = 0; i < rounds; i++) {
            final int destination = base + i * 7919;
            acc += TABLE.nextHop(destination);
            acc += TABLE.isLocal(destination) ? 1 : 0;
            acc += TABLE.primaryAddress(i & 7);
            acc += TABLE.pathMtu(destination);
        }
        return acc;
    }
}
