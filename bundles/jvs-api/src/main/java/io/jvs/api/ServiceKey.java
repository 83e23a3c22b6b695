package io.jvs.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What identifies a virtual service: protocol, virtual IP and port, or a firewall mark (with its address
 * family). Exactly one of {@code address} and {@code fwmark > 0} is set.
 */
public final class ServiceKey implements Comparable<ServiceKey> {
    private final Protocol protocol;
    private final InetAddress address;
    private final int port;
    private final int fwmark;
    private final boolean ipv6;

    private ServiceKey(final Protocol protocol, final InetAddress address, final int port, final int fwmark,
                       final boolean ipv6) {
        this.protocol = protocol;
        this.address = address;
        this.port = port;
        this.fwmark = fwmark;
        this.ipv6 = ipv6;
    }

    /** An address-based service: {@code -t|-u VIP:port}. Port 0 is the persistent wildcard port. */
    public static ServiceKey of(final Protocol protocol, final InetAddress address, final int port) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new ServiceKey(protocol, address, port, 0, address instanceof Inet6Address);
    }

    /** A firewall-mark service: {@code -f mark [-6]}. */
    public static ServiceKey fwmark(final int fwmark, final boolean ipv6) {
        if (fwmark <= 0) {
            throw new IllegalArgumentException("fwmark must be greater than zero: " + Integer.toUnsignedString(fwmark));
        }
        return new ServiceKey(null, null, 0, fwmark, ipv6);
    }

    public boolean isFwmark() {
        return fwmark != 0;
    }

    /** Protocol of an address-based service; null for a firewall-mark service. */
    public Protocol protocol() {
        return protocol;
    }

    /** Virtual IP of an address-based service; null for a firewall-mark service. */
    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    public int fwmark() {
        return fwmark;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    /** ipvsadm's sort order: fwmark services last by mark, then address family, protocol, address, port. */
    @Override
    public int compareTo(final ServiceKey o) {
        int c = Integer.compareUnsigned(fwmark, o.fwmark);
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(ipv6, o.ipv6);
        if (c != 0 || isFwmark()) {
            return c;
        }
        c = Integer.compare(protocol.number(), o.protocol.number());
        if (c != 0) {
            return c;
        }
        c = Addresses.compare(address, o.address);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    @Override
    public boolean equals(final Object o) {
        if (!(o instanceof ServiceKey)) {
            return false;
        }
        final ServiceKey k = (ServiceKey) o;
        return port == k.port && fwmark == k.fwmark && ipv6 == k.ipv6 && protocol == k.protocol
                && Objects.equals(address, k.address);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, address, port, fwmark, ipv6);
    }

    @Override
    public String toString() {
        if (isFwmark()) {
            return "FWM " + Integer.toUnsignedString(fwmark) + (ipv6 ? " IPv6" : "");
        }
        return protocol + " " + Addresses.withPort(address, port);
    }
}
