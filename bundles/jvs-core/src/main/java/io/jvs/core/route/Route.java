package io.jvs.core.route;

/**
 * A unicast IPv4 route of the main table ({@code ip route}): where the director sends what it forwards.
 * {@code gateway} is 0 for a directly connected subnet, whose hosts are reached by ARP on {@code ifIndex}.
 * {@code metric} is the kernel's unsigned priority; among equal prefixes the lowest wins. {@code mtu} is the
 * route's own MTU ({@code ip route ... mtu N}, the RTAX_MTU metric), 0 when the link's applies. Addresses are in
 * network order as a big-endian read gives them.
 */
public record Route(int destination, int prefixLength, int gateway, int ifIndex, int metric, int mtu) {
    public Route {
        if (ifIndex <= 0) {
            throw new IllegalArgumentException("interface index " + ifIndex);
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength);
        }
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu " + mtu);
        }
    }

    /** A route without an MTU of its own. */
    public Route(final int destination, final int prefixLength, final int gateway, final int ifIndex,
                 final int metric) {
        this(destination, prefixLength, gateway, ifIndex, metric, 0);
    }

    public boolean isConnected() {
        return gateway == 0;
    }

    @Override
    public String toString() {
        return Formats.ipv4(destination) + "/" + prefixLength + (isConnected() ? "" : " via " + Formats.ipv4(gateway))
                + " dev " + ifIndex + " metric " + Integer.toUnsignedString(metric) + (mtu == 0 ? "" : " mtu " + mtu);
    }
}
