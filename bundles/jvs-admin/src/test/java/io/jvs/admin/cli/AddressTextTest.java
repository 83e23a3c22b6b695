package io.jvs.admin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.api.Addresses;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.Stats;

import java.net.Inet6Address;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The C library conversions ipvsadm relies on, and the kernel's service hash order. */
class AddressTextTest {
    @Test
    void inetAtonAcceptsItsShortAndRadixForms() {
        assertEquals("10.0.0.1", Addresses.numeric(InetText.aton("10.1")));
        assertEquals("10.1.0.2", Addresses.numeric(InetText.aton("10.1.2")));
        assertEquals("10.0.0.8", Addresses.numeric(InetText.aton("0x0a.010")));
        assertEquals("1.2.3.4", Addresses.numeric(InetText.aton("1.2.3.4 trailing")));
        assertNull(InetText.aton("1.2.3.256"));
        assertNull(InetText.aton("1.2.3.4.5"));
        assertNull(InetText.aton("08.1.1.1"));
        assertNull(InetText.aton("host"));
        assertNull(InetText.aton(""));
    }

    @Test
    void inetPton6KeepsMappedAddressesAsIpv6() {
        assertEquals("2001:db8::1", Addresses.numeric(InetText.pton6("2001:DB8:0:0::1")));
        assertEquals("::", Addresses.numeric(InetText.pton6("::")));
        assertTrue(InetText.pton6("::ffff:10.0.0.1") instanceof Inet6Address);
        assertNull(InetText.pton6("1:2:3:4:5:6:7:8:9"));
        assertNull(InetText.pton6("1::2::3"));
        assertNull(InetText.pton6("12345::"));
        assertNull(InetText.pton6("fe80::1%eth0"));
        assertNull(InetText.pton6("1.2.3.4"));
        assertNull(InetText.pton4("224.0.0.081"));
    }

    @Test
    void stringToNumberIsStrtolOverTheWholeText() {
        assertEquals(80, InetText.number(" +80", 0, 65535));
        assertEquals(-1, InetText.number("80x", 0, 65535));
        assertEquals(-1, InetText.number("", 0, 65535));
        assertEquals(-1, InetText.number("65536", 0, 65535));
        assertEquals(0, InetText.number("-0", 0, 65535));
        assertEquals(-1, InetText.number("99999999999999999999", 0, 65535));
    }

    @Test
    void kernelOrderPutsTheNewestServiceOfABucketFirst() {
        final ServiceInfo a = info(ServiceKey.of(Protocol.TCP, Cli.ip("10.0.0.1"), 80));
        final ServiceInfo b = info(ServiceKey.of(Protocol.TCP, Cli.ip("10.0.1.1"), 80));
        final ServiceInfo c = info(ServiceKey.of(Protocol.TCP, Cli.ip("10.0.0.2"), 80));
        final ServiceInfo f = info(ServiceKey.fwmark(1, false));
        assertEquals(ServiceOrder.bucket(a.config().key()), ServiceOrder.bucket(b.config().key()));
        assertEquals((6 ^ 0x0a000001 ^ 80) & 255, ServiceOrder.bucket(a.config().key()));
        // 10.0.0.2:80 hashes to bucket 84, before the shared bucket 87 of the other two.
        assertEquals(List.of(c, b, a, f), ServiceOrder.kernel(List.of(f, a, c, b)));
    }

    private static ServiceInfo info(final ServiceKey key) {
        return new ServiceInfo(new ServiceConfig(key, "rr", true, 300, ServiceConfig.hostMask(key), false, 0),
                Stats.ZERO, List.of());
    }
}
