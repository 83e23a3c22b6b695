package io.jvs.admin.cli;

import io.jvs.api.DestinationInfo;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order a listing shows services and real servers in: sorted, or with {@code --nosort} the order the
 * kernel's netlink dump walks them.
 */
final class ServiceOrder {
    private static final int TAB_BITS = 8;
    private static final int TAB_SIZE = 1 << TAB_BITS;
    private static final Comparator<DestinationInfo> BY_ENDPOINT =
            Comparator.comparing(d -> d.config().endpoint());

    private ServiceOrder() {
    }

    /** Sorted by (fwmark, family, protocol, address, port), as ipvsadm's {@code ipvs_cmp_services}. */
    static List<ServiceInfo> sorted(final List<ServiceInfo> services) {
        final List<ServiceInfo> s = new ArrayList<>(services);
        s.sort(Comparator.comparing(i -> i.config().key()));
        return s;
    }

    /**
     * The kernel's dump order: the 256 buckets of the address table, then those of the fwmark table; within a
     * bucket the newest service first (services are added at the bucket's head). The kernel mixes a per-netns
     * pointer into both hashes; it cannot be reproduced and is taken as 0.
     */
    static List<ServiceInfo> kernel(final List<ServiceInfo> services) {
        final List<List<ServiceInfo>> buckets = new ArrayList<>(2 * TAB_SIZE);
        for (int i = 0; i < 2 * TAB_SIZE; i++) {
            buckets.add(null);
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            final ServiceInfo s = services.get(i);
            final int b = bucket(s.config().key());
            List<ServiceInfo> l = buckets.get(b);
            if (l == null) {
                l = new ArrayList<>(2);
                buckets.set(b, l);
            }
            l.add(s);
        }
        final List<ServiceInfo> out = new ArrayList<>(services.size());
        for (final List<ServiceInfo> l : buckets) {
            if (l != null) {
                out.addAll(l);
            }
        }
        return out;
    }

    /** Sorted by (address, port) unless the kernel's list order is wanted. */
    static List<DestinationInfo> destinations(final List<DestinationInfo> dests, final boolean nosort) {
        if (nosort || dests.size() < 2) {
            return dests;
        }
        final List<DestinationInfo> d = new ArrayList<>(dests);
        d.sort(BY_ENDPOINT);
        return d;
    }

    /** Index into the address buckets (0..255) or, offset by 256, the fwmark buckets. */
    static int bucket(final ServiceKey key) {
        if (key.isFwmark()) {
            return TAB_SIZE + (key.fwmark() & (TAB_SIZE - 1));
        }
        final byte[] a = key.address().getAddress();
        int fold = 0;
        for (int i = 0; i < a.length; i += 4) {
            fold ^= ((a[i] & 0xff) << 24) | ((a[i + 1] & 0xff) << 16) | ((a[i + 2] & 0xff) << 8) | (a[i + 3] & 0xff);
        }
        final int port = key.port();
        return (key.protocol().number() ^ fold ^ (port >> TAB_BITS) ^ port) & (TAB_SIZE - 1);
    }

    static boolean isV6(final ServiceKey key) {
        return key.isFwmark() ? key.isIpv6() : key.address() instanceof Inet6Address;
    }
}
