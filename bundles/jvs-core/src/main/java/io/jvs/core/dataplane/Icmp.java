package io.jvs.core.dataplane;

import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.port.Port;
import io.jvs.core.wire.EthernetHeader;
import io.jvs.core.wire.IcmpHeader;
import io.jvs.core.wire.Ipv4Header;
import io.jvs.core.wire.PacketValidator;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A worker's ICMP, as the kernel's {@code icmp.c} with IPVS's {@code ip_vs_in_icmp} and {@code ip_vs_out_icmp}:
 * echo to a VIP, errors about a connection's packets relayed both ways, and the errors the director sends itself,
 * rate limited as Linux does. Per-frame state (the port it came in on, whether it was sent to us) is the {@link
 * Worker}'s.
 */
final class Icmp {
    private final Worker w;
    private final Dataplane dp;
    private final int q;
    private final Port[] ports;
    private final long[] counters;
    private final ConnectionView view;
    private final PacketValidator validator;
    private final Xmit xmit;
    private final ByteBuffer scratch;
    private final IcmpRelay relay = new IcmpRelay();
    private final IcmpBudget budget = new IcmpBudget();
    private final IcmpPeerLimit peers = new IcmpPeerLimit(new SplittableRandom().nextInt());

    Icmp(final Worker w, final Dataplane dp, final int q, final Port[] ports, final long[] counters,
         final ConnectionView view, final PacketValidator validator, final Xmit xmit) {
        this.w = w;
        this.dp = dp;
        this.q = q;
        this.ports = ports;
        this.counters = counters;
        this.view = view;
        this.validator = validator;
        this.xmit = xmit;
        this.scratch = xmit.scratch;
    }

    /** To a VIP: an echo request is answered from the VIP; an error about a connection's packet goes to its RIP. */
    void toVip(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip) {
        final IcmpHeader icmp = validator.icmp();
        if (icmp.type() == IcmpHeader.ECHO_REQUEST) {
            icmp.echoToReply();
            final int src = ip.src();
            ip.rewriteSrc(ip.dst());
            ip.rewriteDst(src);
            final EthernetHeader eth = validator.ethernet();
            eth.swapMacs();
            eth.setSrcMac(w.inPort.mac());
            if (xmit.transmit(w.in, frame, offset, length)) {
                counters[PathCounters.ECHO_REPLIES]++;
            }
            return;
        }
        final int end = ip.offset() + ip.totalLength();
        // An error about a packet the VIP sent to a client: the quote is VIP:vport -> client:cport.
        if (!icmp.isErrorV4() || !relay.parse(frame, icmp.offset(), end)) {
            counters[PathCounters.PASSED]++;
            return;
        }
        view.apply = false;
        if (!dp.connections().inbound(relay.protocol, relay.dst, relay.dport, relay.src, relay.sport, view)) {
            counters[PathCounters.PASSED]++;
            return;
        }
        final int method = view.flags & ConnectionTable.F_FWD_MASK;
        if (ip.ttl() <= 1) {
            counters[PathCounters.DROP_TTL]++;   // never an ICMP error about an ICMP error
            return;
        }
        ip.decrementTtl();
        if (method == 0) {
            relay.rewriteQuotedSource(frame, view.daddr, view.dport);
            ip.rewriteDst(view.daddr);
            IcmpRelay.fillChecksum(frame, icmp.offset(), end);
        } else if (method != 3) {
            counters[PathCounters.DROP_UNSUPPORTED]++;
            return;
        }
        final long hop = w.routes.nextHop(view.daddr);
        if (hop == -1 || method == 3 && (int) hop != view.daddr) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        counters[PathCounters.ICMP_RELAYED]++;
        // A relayed error is never refused for its size (IPVS: !ip_vs_iph_icmp); it is cut if it must be.
        xmit.send(frame, offset, length, hop, xmit.exceededMtu(ip.totalLength(), view.daddr));
    }

    /** An error a NAT realserver sends about a client's packet (quote: client:cport -> RIP:rport). */
    void fromRealserver(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip) {
        final IcmpHeader icmp = validator.icmp();
        final int end = ip.offset() + ip.totalLength();
        if (!relay.parse(frame, icmp.offset(), end)) {
            counters[PathCounters.PASSED]++;
            return;
        }
        view.apply = false;
        if (!dp.connections().outbound(relay.protocol, relay.src, relay.sport, relay.dst, relay.dport, view)
                || (view.flags & ConnectionTable.F_FWD_MASK) != 0 || ip.src() != view.daddr) {
            counters[PathCounters.PASSED]++;
            return;
        }
        if (ip.ttl() <= 1) {
            counters[PathCounters.DROP_TTL]++;
            return;
        }
        relay.rewriteQuotedDestination(frame, view.vaddr, view.vport);
        ip.decrementTtl();
        ip.rewriteSrc(view.vaddr);
        IcmpRelay.fillChecksum(frame, icmp.offset(), end);
        final long hop = w.routes.nextHop(view.caddr);
        if (hop == -1) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        counters[PathCounters.ICMP_RELAYED]++;
        xmit.send(frame, offset, length, hop, xmit.exceededMtu(ip.totalLength(), view.caddr));
    }

    /** As {@code ip_vs_leave}: no realserver, so ICMP port unreachable to the client, and the packet is dropped. */
    void noDestination(final ByteBuffer frame, final int offset, final Ipv4Header ip) {
        counters[PathCounters.DROP_NO_DESTINATION]++;
        if (allowed(ip.src())) {
            final int n = Frames.portUnreachable(frame, offset, ip.offset(), ip.totalLength(), scratch, 0,
                    w.inPort.mac());
            reply(n);
        }
    }

    /**
     * A packet whose TTL would reach 0 here: dropped, and its sender told (ICMP time exceeded from {@code source}:
     * the VIP for a client's packet, as IPVS's {@code decrement_ttl}; the director's address for a realserver's,
     * as {@code ip_forward}).
     */
    void ttlExceeded(final ByteBuffer frame, final int offset, final Ipv4Header ip, final int source) {
        counters[PathCounters.DROP_TTL]++;
        if (source != 0 && allowed(ip.src())) {
            final int n = Frames.timeExceeded(frame, offset, ip.offset(), ip.totalLength(), scratch, 0, w.inPort.mac(),
                    source);
            reply(n);
        }
    }

    /**
     * Drops a packet with DF too big for its path, and tells its source the path's MTU (ICMP fragmentation
     * needed, from {@code source}; never rate limited, as the kernel's {@code icmpv4_mask_allow}).
     */
    void fragmentationNeeded(final ByteBuffer frame, final int offset, final Ipv4Header ip, final int source,
                             final int mtu) {
        counters[PathCounters.DROP_FRAG_NEEDED]++;
        if (source != 0 && w.toUs) {
            final int n = Frames.fragmentationNeeded(frame, offset, ip.offset(), ip.totalLength(), scratch, 0,
                    w.inPort.mac(), source, mtu);
            reply(n);
        }
    }

    /**
     * Sends the ICMP error made in {@link #scratch} back out of the port the frame came in on. The frame's outcome
     * is already counted (its drop); an error lost to a full ring is not another one.
     */
    private void reply(final int length) {
        ports[w.in].transmit(q, scratch, 0, length);
    }

    /**
     * Whether an error to {@code peer} (the offending packet's source) may be sent. As Linux's {@code __icmp_send}:
     * the global budget is only looked at, then the peer's limit decides, and only an error that is sent spends
     * global credit; a refusal by either counts as {@code icmp_limited}.
     */
    private boolean allowed(final int peer) {
        if (!w.toUs) {
            return false;
        }
        if (budget.allows(w.now) && peers.take(peer, w.now)) {
            budget.spend();
            return true;
        }
        counters[PathCounters.ICMP_LIMITED]++;
        return false;
    }
}
