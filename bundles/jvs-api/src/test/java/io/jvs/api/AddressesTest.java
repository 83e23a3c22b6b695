package io.jvs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressesTest {

    private static InetAddress ip(final String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void shouldPrintIpv6AsInetNtopDoes() throws Exception {
        assertEquals("2001:db8::1", Addresses.numeric(ip("2001:0db8:0:0:0:0:0:1")));
        assertEquals("::1", Addresses.numeric(ip("::1")));
        assertEquals("::", Addresses.numeric(ip("::")));
        assertEquals("2001:db8:0:1:1:1:1:1", Addresses.numeric(ip("2001:db8:0:1:1:1:1:1")));
        assertEquals("2001:0:0:1::1", Addresses.numeric(ip("2001:0:0:1:0:0:0:1")));
        assertEquals("fe80::1:2", Addresses.numeric(ip("fe80:0:0:0:0:0:1:2")));
        assertEquals("[2001:db8::1]:80", Addresses.withPort(ip("2001:db8::1"), 80));
        assertEquals("10.1.2.3:8080", Addresses.withPort(ip("10.1.2.3"), 8080));
    }

    @Test
    void shouldSortServicesAsIpvsadmDoes() throws Exception {
        final ServiceKey tcp80 = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 80);
        final ServiceKey tcp801 = ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 801);
        final ServiceKey udp53 = ServiceKey.of(Protocol.UDP, ip("10.0.0.1"), 53);
        final ServiceKey tcpLow = ServiceKey.of(Protocol.TCP, ip("9.255.0.1"), 443);
        final ServiceKey fwm = ServiceKey.fwmark(1, false);
        assertTrue(tcpLow.compareTo(tcp80) < 0);
        assertTrue(tcp80.compareTo(tcp801) < 0);
        assertTrue(tcp801.compareTo(udp53) < 0, "protocol sorts before address");
        assertTrue(udp53.compareTo(fwm) < 0, "fwmark services come after address services");
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.fwmark(0, false));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.of(Protocol.TCP, ip("10.0.0.1"), 65536));
    }

    @Test
    void shouldKeepCurrentTimeoutWhereSetGivesZero() {
        assertEquals(new Timeouts(259200, 120, 300), new Timeouts(259200, 0, 0).over(Timeouts.DEFAULTS));
    }
}
