package io.jvs.core.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One immutable view of the director's links, IPv4 addresses and main-table routes, as the packet workers
 * read it without locking: a new view replaces the old one whole. Lookups the workers make per packet
 * ({@link #nextHop(int)}, {@link #isLocal(int)}, {@link #primaryAddress(int)}) run over int arrays built here
 * and allocate nothing; a director has a handful of routes, where a linear scan beats any trie.
 *
 * <p>Each route also has a path MTU ({@link #pathMtu(int)}): its own {@code mtu} metric, or its link's MTU, the
 * smaller when both are known, as {@code dst_mtu} gives the kernel's forwarding. Learnt path MTUs (the kernel's
 * route exceptions from ICMP) are not kept: the director forwards, its peers do path MTU discovery.
 */
public final class RouteTable {
    public static final RouteTable EMPTY = new RouteTable(List.of(), List.of(), List.of());
    private static final Comparator<Route> LOOKUP_ORDER = Comparator.comparingInt(Route::prefixLength).reversed()
            .thenComparing(Route::metric, Integer::compareUnsigned);

    private final List<Link> links;
    private final List<InterfaceAddress> addresses;
    private final List<Route> routes;
    // Routes in lookup order: longest prefix first, then lowest metric; the first match is the answer.
    private final int[] masks;
    private final int[] networks;
    private final int[] gateways;
    private final int[] routeIfIndexes;
    private final int[] routeMtus;
    private final int smallestMtu;
    private final int[] localSorted;
    private final int[] ownOrBroadcastSorted;
    private final int[] addressMasks;
    private final int[] addressIfIndexes;
    private final int[] addressValues;

    /** Lists in kernel dump order; {@link #primaryAddress(int)} relies on it (primaries come first). */
    public RouteTable(final List<Link> links, final List<InterfaceAddress> addresses, final List<Route> routes) {
        this.links = List.copyOf(links);
        this.addresses = List.copyOf(addresses);
        this.routes = List.copyOf(routes);
        final List<Route> ordered = new ArrayList<>(this.routes);
        ordered.sort(LOOKUP_ORDER);
        final int n = ordered.size();
        masks = new int[n];
        networks = new int[n];
        gateways = new int[n];
        routeIfIndexes = new int[n];
        routeMtus = new int[n];
        int smallest = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            final Route r = ordered.get(i);
            masks[i] = Formats.mask(r.prefixLength());
            networks[i] = r.destination() & masks[i];
            gateways[i] = r.gateway();
            routeIfIndexes[i] = r.ifIndex();
            routeMtus[i] = effectiveMtu(r);
            if (routeMtus[i] > 0) {
                smallest = Math.min(smallest, routeMtus[i]);
            }
        }
        smallestMtu = smallest;
        final int m = this.addresses.size();
        addressIfIndexes = new int[m];
        addressValues = new int[m];
        addressMasks = new int[m];
        final int[] ownOrBroadcast = new int[2 * m];
        int k = 0;
        for (int i = 0; i < m; i++) {
            final InterfaceAddress a = this.addresses.get(i);
            addressIfIndexes[i] = a.ifIndex();
            addressValues[i] = a.address();
            addressMasks[i] = Formats.mask(a.prefixLength());
            ownOrBroadcast[k++] = a.address();
            if (a.prefixLength() <= 30) {
                ownOrBroadcast[k++] = a.address() | ~addressMasks[i];
            }
        }
        localSorted = addressValues.clone();
        Arrays.sort(localSorted);
        ownOrBroadcastSorted = Arrays.copyOf(ownOrBroadcast, k);
        Arrays.sort(ownOrBroadcastSorted);
    }

    public List<Link> links() {
        return links;
    }

    public List<InterfaceAddress> addresses() {
        return addresses;
    }

    public List<Route> routes() {
        return routes;
    }

    /** The link of that index, or null. */
    public Link link(final int ifIndex) {
        for (final Link l : links) {
            if (l.index() == ifIndex) {
                return l;
            }
        }
        return null;
    }

    /** The link of that name, or null. */
    public Link link(final String name) {
        for (final Link l : links) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        return null;
    }

    /** Whether {@code address} is configured on one of the interfaces: traffic to it is for the director. */
    public boolean isLocal(final int address) {
        return Arrays.binarySearch(localSorted, address) >= 0;
    }

    /**
     * Whether {@code address} is one of the director's own or the broadcast address of one of its subnets: no host
     * sends from it (the kernel's {@code fib_validate_source} refuses such a source).
     */
    public boolean isOwnOrBroadcast(final int address) {
        return Arrays.binarySearch(ownOrBroadcastSorted, address) >= 0;
    }

    /**
     * The address to send from on interface {@code ifIndex} to {@code peer}: the first one whose subnet holds the
     * peer, as the kernel's source selection prefers, else the interface's primary; 0 if it has none.
     */
    public int sourceFor(final int ifIndex, final int peer) {
        for (int i = 0; i < addressIfIndexes.length; i++) {
            if (addressIfIndexes[i] == ifIndex && (peer & addressMasks[i]) == (addressValues[i] & addressMasks[i])) {
                return addressValues[i];
            }
        }
        return primaryAddress(ifIndex);
    }

    /** The first address on the interface (its primary, the source of ARP requests there), or 0 if none. */
    public int primaryAddress(final int ifIndex) {
        for (int i = 0; i < addressIfIndexes.length; i++) {
            if (addressIfIndexes[i] == ifIndex) {
                return addressValues[i];
            }
        }
        return 0;
    }

    /**
     * Where a packet for {@code destination} goes: {@code ((long) ifIndex << 32) | (hop & 0xFFFFFFFFL)}, with
     * hop the route's gateway or, on a connected subnet, the destination itself (the address to resolve by
     * ARP); -1 when no route matches. Decode with {@link #hopIfIndex(long)} and {@link #hopAddress(long)}.
     * Link state is not consulted: the kernel withdraws the routes of an interface set down, and one that only
     * lost its carrier keeps them, as it does for the kernel's own forwarding.
     */
    public long nextHop(final int destination) {
        final int[] m = masks;
        for (int i = 0; i < m.length; i++) {
            if ((destination & m[i]) == networks[i]) {
                final int gateway = gateways[i];
                return ((long) routeIfIndexes[i] << 32) | ((gateway != 0 ? gateway : destination) & 0xFFFF_FFFFL);
            }
        }
        return -1L;
    }

    /**
     * The MTU of the path to {@code destination} (the route {@link #nextHop(int)} takes): the route's own or its
     * link's, the smaller of the two; 0 when neither is known or no route matches (no limit is applied).
     */
    public int pathMtu(final int destination) {
        final int[] m = masks;
        for (int i = 0; i < m.length; i++) {
            if ((destination & m[i]) == networks[i]) {
                return routeMtus[i];
            }
        }
        return 0;
    }

    /** The smallest {@link #pathMtu(int)} of any route: a packet no larger fits every path without a lookup. */
    public int smallestMtu() {
        return smallestMtu;
    }

    private int effectiveMtu(final Route r) {
        final Link l = link(r.ifIndex());
        final int linkMtu = l == null ? 0 : l.mtu();
        if (r.mtu() > 0 && linkMtu > 0) {
            return Math.min(r.mtu(), linkMtu);
        }
        return Math.max(r.mtu(), linkMtu);
    }

    /** Interface index of a {@link #nextHop(int)} result other than -1. */
    public static int hopIfIndex(final long hop) {
        return (int) (hop >>> 32);
    }

    /** Next-hop address of a {@link #nextHop(int)} result other than -1. */
    public static int hopAddress(final long hop) {
        return (int) hop;
    }

    /**
     * The view of the named interfaces only, their links, addresses and routes: the packet core forwards out
     * of its data-plane interfaces, never out of the management one even when its route is more specific.
     * Names that match no link are ignored.
     */
    public RouteTable restrictedTo(final Set<String> interfaceNames) {
        final List<Link> keptLinks = links.stream().filter(l -> interfaceNames.contains(l.name())).toList();
        final Set<Integer> kept = Set.copyOf(keptLinks.stream().map(Link::index).toList());
        return new RouteTable(keptLinks,
                addresses.stream().filter(a -> kept.contains(a.ifIndex())).toList(),
                routes.stream().filter(r -> kept.contains(r.ifIndex())).toList());
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof RouteTable t && links.equals(t.links) && addresses.equals(t.addresses)
                && routes.equals(t.routes);
    }

    @Override
    public int hashCode() {
        return (links.hashCode() * 31 + addresses.hashCode()) * 31 + routes.hashCode();
    }

    @Override
    public String toString() {
        return "RouteTable[links=" + links + ", addresses=" + addresses + ", routes=" + routes + "]";
    }
}
