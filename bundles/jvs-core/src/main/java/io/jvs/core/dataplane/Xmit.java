package io.jvs.core.dataplane;

import io.jvs.core.port.Port;
import io.jvs.core.wire.EthernetHeader;
import io.jvs.core.wire.Ipv4Fragmenter;
import java.nio.ByteBuffer;

/**
 * A worker's transmit side, as the kernel's {@code ip_vs_xmit.c}: the next hop's MAC (holding the frame while it
 * is asked for), the path's MTU, fragmentation, and the TX rings of queue {@code q}. Per-batch state (the routes,
 * the clock) is the {@link Worker}'s.
 */
final class Xmit {
    private final Worker w;
    private final Dataplane dp;
    private final int q;
    private final Port[] ports;
    private final long[] counters;
    private final HeldFrames held = new HeldFrames(64);
    /** Where fragments, ARP requests and ICMP errors are built, one at a time. */
    final ByteBuffer scratch = ByteBuffer.allocateDirect(2048);

    Xmit(final Worker w, final Dataplane dp, final int q, final Port[] ports, final long[] counters) {
        this.w = w;
        this.dp = dp;
        this.q = q;
        this.ports = ports;
        this.counters = counters;
    }

    /** Whether frames wait for a next hop's MAC: they must be retried or expired even if nothing arrives. */
    boolean holding() {
        return held.size() > 0;
    }

    /**
     * The MTU of the path to {@code destination} when a packet of {@code size} bytes exceeds it, else 0. Costs one
     * comparison for a packet no larger than every path's MTU.
     */
    int exceededMtu(final int size, final int destination) {
        if (size <= w.routes.smallestMtu()) {
            return 0;
        }
        final int mtu = w.routes.pathMtu(destination);
        return mtu > 0 && size > mtu ? mtu : 0;
    }

    /**
     * Sends a rewritten frame to the next hop {@code hop} ({@code ifIndex << 32 | address}), resolving its MAC;
     * as fragments for {@code mtu} when that is not 0 (the packet exceeds it).
     */
    void send(final ByteBuffer frame, final int offset, final int length, final long hop, final int mtu) {
        final int out = dp.portOf((int) (hop >>> 32));
        if (out < 0) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        final int nextHop = (int) hop;
        final long mac = dp.neighbours().lookup(nextHop);
        if (mac < 0) {
            if (!held.hold(frame, offset, length, out, nextHop, mtu, w.now)) {
                counters[PathCounters.DROP_NO_NEIGHBOUR]++;
            }
            requestMac(out, nextHop);
            return;
        }
        sendTo(out, mac, frame, offset, length, mtu);
    }

    /** Out of port {@code out} to {@code mac}, whole or as fragments for {@code mtu}; counts the packet's outcome. */
    private boolean sendTo(final int out, final long mac, final ByteBuffer frame, final int offset,
                           final int length, final int mtu) {
        if (mtu > 0) {
            return sendFragments(out, mac, frame, offset, mtu);
        }
        Frames.putMac(frame, offset, mac);
        Frames.putMac(frame, offset + 6, ports[out].mac());
        if (transmit(out, frame, offset, length)) {
            counters[PathCounters.FORWARDED]++;
            return true;
        }
        return false;
    }

    private boolean sendFragments(final int out, final long mac, final ByteBuffer frame, final int offset,
                                  final int mtu) {
        final int ipAt = offset + EthernetHeader.LENGTH;
        final int n = Ipv4Fragmenter.count(frame, ipAt, mtu);
        if (n == 0) {
            // An MTU under IPv4's 68: the kernel takes IPv4 off such a link, and its routes with it.
            counters[PathCounters.DROP_NO_ROUTE]++;
            return false;
        }
        for (int i = 0; i < n; i++) {
            final int len = Ipv4Fragmenter.write(frame, offset, ipAt, mtu, i, scratch, 0);
            Frames.putMac(scratch, 0, mac);
            Frames.putMac(scratch, 6, ports[out].mac());
            if (!ports[out].transmit(q, scratch, 0, len)) {
                // The datagram cannot be whole now; its other fragments would only take the ring's slots.
                counters[PathCounters.DROP_TX_FULL]++;
                return false;
            }
        }
        counters[PathCounters.FORWARDED]++;
        counters[PathCounters.FRAGMENTED]++;
        return true;
    }

    /** Out of port {@code port} as it is; false, counted, when its ring is full. */
    boolean transmit(final int port, final ByteBuffer frame, final int offset, final int length) {
        if (ports[port].transmit(q, frame, offset, length)) {
            return true;
        }
        counters[PathCounters.DROP_TX_FULL]++;
        return false;
    }

    private void requestMac(final int port, final int address) {
        if (dp.neighbours().shouldRequest(address, w.now)) {
            final int n = Frames.arpRequest(scratch, 0, ports[port].mac(),
                    w.routes.primaryAddress(ports[port].ifIndex()), address);
            ports[port].transmit(q, scratch, 0, n);   // the frame that asked is held or counted already
        }
    }

    /** Frames waiting for ARP go out once their next hop resolved, or are dropped after a while. */
    void releaseHeld() {
        for (int i = held.first(); i >= 0; i = held.next(i)) {
            final long mac = dp.neighbours().lookup(held.nextHop(i));
            if (mac >= 0) {
                if (sendTo(held.port(i), mac, held.buffer(), held.offset(i), held.length(i), held.mtu(i))) {
                    counters[PathCounters.RELEASED]++;
                }
                held.release(i);
            } else if (w.now - held.since(i) > HeldFrames.MAX_WAIT_MILLIS) {
                counters[PathCounters.DROP_NO_NEIGHBOUR]++;
                held.release(i);
            }
        }
    }
}
