package io.jvs.core.route;

import static io.jvs.core.route.Ipv4.of;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InterfaceAddressTest {
    @Test
    void shouldReadDottedQuadsAsABigEndianReadWould() {
        assertEquals(0x0A4D0102, of("10.77.1.2"));
        assertEquals(0xC0A80101, of("192.168.1.1"));
    }

    @Test
    void shouldContainEveryAddressWithPrefixZero() {
        final InterfaceAddress any = new InterfaceAddress(1, of("10.77.1.2"), 0);
        assertTrue(any.contains(of("0.0.0.0")));
        assertTrue(any.contains(of("255.255.255.255")));
        assertTrue(any.contains(of("192.0.2.1")));
    }

    @Test
    void shouldContainOnlyItselfWithPrefix32() {
        final InterfaceAddress host = new InterfaceAddress(1, of("192.168.1.10"), 32);
        assertTrue(host.contains(of("192.168.1.10")));
        assertFalse(host.contains(of("192.168.1.11")));
        assertFalse(host.contains(of("64.168.1.10")));
    }

    @Test
    void shouldContainItsSubnetWithPrefix24() {
        final InterfaceAddress dip = new InterfaceAddress(1, of("192.168.1.10"), 24);
        assertTrue(dip.contains(of("192.168.1.0")));
        assertTrue(dip.contains(of("192.168.1.255")));
        assertFalse(dip.contains(of("192.168.2.1")));
        assertFalse(dip.contains(of("64.168.1.1")));
    }

    @Test
    void shouldRefuseImpossiblePrefixesAndIndexes() {
        assertThrows(IllegalArgumentException.class, () -> new InterfaceAddress(1, 0, 33));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceAddress(1, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceAddress(0, 0, 24));
        assertThrows(IllegalArgumentException.class, () -> new Route(0, 33, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Route(0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Link(0, "eth0", 0, 1500, true));
        assertThrows(IllegalArgumentException.class, () -> new Link(1, "", 0, 1500, true));
    }

    @Test
    void shouldPrintAddressesAsIpDoes() {
        assertEquals("10.77.1.2/24 dev 3", new InterfaceAddress(3, of("10.77.1.2"), 24).toString());
        assertEquals("0.0.0.0/0 via 192.168.1.1 dev 2 metric 4294967295",
                new Route(0, 0, of("192.168.1.1"), 2, -1).toString());
        assertEquals("2: eth0 00:11:22:aa:bb:cc mtu 1500 up",
                new Link(2, "eth0", 0x001122AABBCCL, 1500, true).toString());
    }
}
