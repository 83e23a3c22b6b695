package io.jvs.core.dataplane;

import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.conn.TcpStateTable;
import io.jvs.core.port.FrameHandler;
import io.jvs.core.port.Port;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.Service;
import io.jvs.core.wire.ArpPacket;
import io.jvs.core.wire.EthernetHeader;
import io.jvs.core.wire.IpProtocol;
import io.jvs.core.wire.Ipv4Header;
import io.jvs.core.wire.NatRewrite;
import io.jvs.core.wire.PacketValidator;
import java.nio.ByteBuffer;

/**
 * One packet worker: owns queue {@code q} of every port, and runs each received frame through the director's
 * path (DESIGN.md section 1): L2 (ARP for VIPs, learning neighbours), L3 checks, connection lookup in either
 * direction, scheduling of new connections ({@link Scheduling}), the TCP state machine, NAT or direct-routing
 * rewrite, ICMP ({@link Icmp}) and transmit ({@link Xmit}). This class dispatches each frame; the others read its
 * per-batch and per-frame state.
 *
 * <p>Hot-path rules: no allocation, no locks other than the connection table's stripes, no logging; every
 * outcome is a counter in {@link #counters}. The table snapshot and routes are read once per batch.
 */
final class Worker implements FrameHandler {
    private final Dataplane dp;
    private final int q;
    private final Port[] ports;
    private final PacketValidator validator;
    private final ConnectionView view = new ConnectionView();
    /** Counters by {@link PathCounters} index; written by this worker only. */
    final long[] counters = new long[PathCounters.SIZE];
    private final Xmit xmit;
    private final Scheduling scheduling;
    private final Icmp icmp;

    // Per batch (routes and now read by Xmit and Icmp too).
    private ServiceIndex index = ServiceIndex.EMPTY;
    RouteTable routes = RouteTable.EMPTY;
    long now;
    // Per frame (read by Icmp too).
    int in;
    Port inPort;
    /** Sent to this port's MAC, not broadcast: only such a packet earns an ICMP error (Linux: PACKET_HOST). */
    boolean toUs;

    Worker(final Dataplane dp, final int queue) {
        this.dp = dp;
        this.q = queue;
        this.ports = dp.ports();
        this.validator = new PacketValidator(dp.settings().verifyChecksums());
        view.states = dp.settings().secureTcp() ? TcpStateTable.SECURE : TcpStateTable.NORMAL;
        this.xmit = new Xmit(this, dp, queue, ports, counters);
        this.scheduling = new Scheduling(dp, view, counters);
        this.icmp = new Icmp(this, dp, queue, ports, counters, view, validator, xmit);
    }

    /** One pass over every port's queue; returns frames received. */
    int poll(final int budget) {
        index = dp.index();
        routes = dp.routes();
        now = dp.clock();
        view.timeouts = index.timeouts();
        int n = 0;
        for (int p = 0; p < ports.length; p++) {
            in = p;
            inPort = ports[p];
            n += inPort.receive(q, this, budget);
        }
        if (xmit.holding()) {
            xmit.releaseHeld();
        }
        for (final Port p : ports) {
            p.flush(q);
        }
        return n;
    }

    /** Whether frames wait for a next hop's MAC: they must be retried or expired even if nothing arrives. */
    boolean holding() {
        return xmit.holding();
    }

    @Override
    public void onFrame(final ByteBuffer frame, final int offset, final int length) {
        counters[PathCounters.RX]++;
        final int verdict = validator.validate(frame, offset, length);
        if (verdict != PacketValidator.OK) {
            counters[verdict]++;
            return;
        }
        final EthernetHeader eth = validator.ethernet();
        final long dstMac = eth.dstMac();
        if (dstMac != inPort.mac() && dstMac != Frames.BROADCAST) {
            counters[PathCounters.OTHER_HOST]++;
            return;
        }
        toUs = dstMac != Frames.BROADCAST;
        if (eth.vlanId() >= 0) {
            // Another VLAN's traffic: the kernel's VLAN interface owns it (give the core eth0.100 for that VLAN).
            // Balanced here it would leave with this VLAN's tag on the other side.
            counters[PathCounters.PASSED]++;
            return;
        }
        final int etherType = validator.etherType();
        if (etherType == EthernetHeader.TYPE_ARP) {
            arp(frame, offset, length, eth, validator.arp());
        } else if (etherType == EthernetHeader.TYPE_IPV4) {
            ipv4(frame, offset, length);
        } else {
            counters[PathCounters.PASSED]++;
        }
    }

    // ---- L2 ----

    private void arp(final ByteBuffer frame, final int offset, final int length, final EthernetHeader eth,
                     final ArpPacket arp) {
        if (!arp.isEthernetIpv4()) {
            counters[PathCounters.PASSED]++;
            return;
        }
        final int sender = arp.senderIp();
        final int target = arp.targetIp();
        if (sender != 0 && isConnectedHere(sender)) {
            // As the kernel: an ARP for one of our addresses (a reply to our request, a request for a VIP or the
            // DIP) makes an entry; one overheard only refreshes a neighbour we already have. Otherwise every
            // host's broadcasts on a large segment would take a slot.
            if (index.isVip(target) || routes.isLocal(target)) {
                dp.neighbours().learn(sender, arp.senderMac(), now);
            } else {
                dp.neighbours().update(sender, arp.senderMac(), now);
            }
        }
        if (arp.op() == ArpPacket.OP_REQUEST && sender != target && index.isVip(target) && answersFor(target)) {
            arp.toReply(inPort.mac());
            eth.setDstMac(arp.targetMac());
            eth.setSrcMac(inPort.mac());
            if (xmit.transmit(in, frame, offset, length)) {
                counters[PathCounters.ARP_REPLIES]++;
            }
        } else {
            counters[PathCounters.PASSED]++;
        }
    }

    /** Whether {@code address} is on a subnet connected to the interface the frame came in on. */
    private boolean isConnectedHere(final int address) {
        final long hop = routes.nextHop(address);
        return hop != -1 && (int) hop == address && (int) (hop >>> 32) == inPort.ifIndex();
    }

    /** A VIP is answered for on the interface whose subnet holds it, or on every data-plane interface if none does. */
    private boolean answersFor(final int vip) {
        final long hop = routes.nextHop(vip);
        return hop == -1 || (int) hop != vip || (int) (hop >>> 32) == inPort.ifIndex();
    }

    // ---- L3/L4 ----

    private void ipv4(final ByteBuffer frame, final int offset, final int length) {
        final Ipv4Header ip = validator.ipv4();
        final int protocol = validator.protocol();
        final int daddr = ip.dst();
        if (index.isVip(daddr)) {
            final int src = ip.src();
            if (martian(src) || routes.isOwnOrBroadcast(src) || index.isVip(src)) {
                counters[PathCounters.DROP_MARTIAN]++;
            } else if (protocol == IpProtocol.ICMP) {
                icmp.toVip(frame, offset, length, ip);
            } else {
                toVip(frame, offset, length, ip, protocol);
            }
        } else if (!toUs) {
            counters[PathCounters.PASSED]++;   // a link-layer broadcast is never forwarded (ip_forward: PACKET_HOST)
        } else if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) {
            fromRealserver(frame, offset, length, ip, protocol);
        } else if (protocol == IpProtocol.ICMP && validator.icmp().isErrorV4()) {
            icmp.fromRealserver(frame, offset, length, ip);
        } else {
            counters[PathCounters.PASSED]++;
        }
    }

    /**
     * A source no host has (the kernel's martian sources): this network, loopback, multicast, limited broadcast.
     * The director's own addresses and its subnets' broadcasts are refused too, by the route table.
     */
    static boolean martian(final int src) {
        final int first = src >>> 24;
        return first == 0 || first == 127 || (first & 0xF0) == 0xE0 || src == -1;
    }

    private int srcPort(final int protocol) {
        return protocol == IpProtocol.TCP ? validator.tcp().srcPort() : validator.udp().srcPort();
    }

    private int dstPort(final int protocol) {
        return protocol == IpProtocol.TCP ? validator.tcp().dstPort() : validator.udp().dstPort();
    }

    /** Client to VIP: an existing connection, or a new one scheduled. */
    private void toVip(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip,
                       final int protocol) {
        final int saddr = ip.src();
        final int daddr = ip.dst();
        final int sport = srcPort(protocol);
        final int dport = dstPort(protocol);
        final int tcpFlags = protocol == IpProtocol.TCP ? validator.tcp().flags() : -1;
        final boolean syn = tcpFlags >= 0 && (tcpFlags & 0x17) == TcpStateTable.TH_SYN;
        final ConnectionTable conns = dp.connections();
        view.tcpFlags = tcpFlags;
        if (syn && scheduling.reused(conns, protocol, saddr, sport, daddr, dport)) {
            counters[PathCounters.REUSED]++;
        } else {
            view.apply = true;
            if (conns.inbound(protocol, saddr, sport, daddr, dport, view)) {
                final DestinationState owner = view.owner;
                if (owner.isAvailable()) {
                    forwardIn(frame, offset, length, ip, owner);
                    return;
                }
                if (!scheduling.destGone(conns, protocol, saddr, sport, daddr, dport)) {
                    return;
                }
            }
        }
        if (tcpFlags >= 0 && !syn && !dp.settings().sloppyTcp()) {
            counters[PathCounters.DROP_NOT_SYN]++;
            return;
        }
        final Service svc = index.lookup(protocol, daddr, dport);
        if (svc == null) {
            counters[PathCounters.DROP_NO_SERVICE]++;
            return;
        }
        if (!scheduling.newConnection(svc, protocol, saddr, sport, daddr, dport)) {
            icmp.noDestination(frame, offset, ip);
            return;
        }
        if (view.slot == Integer.MIN_VALUE) {
            return;   // dropped and counted by newConnection
        }
        forwardIn(frame, offset, length, ip, view.owner);
    }

    /**
     * Inbound rewrite by the connection's forwarding method, then out to the realserver. As IPVS's {@code
     * __ip_vs_get_out_rt} (Linux 4.3 and later), for NAT and DR alike: the TTL is decremented (a packet it would
     * take to 0 gets ICMP time exceeded from the VIP), then a packet too big for the path is refused with ICMP from
     * the VIP when it has DF, fragmented after the rewrite when not.
     */
    private void forwardIn(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip,
                           final DestinationState owner) {
        final int size = ip.totalLength();
        owner.counters().addIn(size);
        owner.serviceCounters().addIn(size);
        dp.totals().addIn(size);
        final int method = view.flags & ConnectionTable.F_FWD_MASK;
        final int rip = view.daddr;
        final long hop = routes.nextHop(rip);
        if (hop == -1) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        if (method == 3 && (int) hop != rip) {
            counters[PathCounters.DROP_NOT_CONNECTED]++;
            return;
        }
        if (method != 0 && method != 3) {
            counters[PathCounters.DROP_UNSUPPORTED]++;
            return;
        }
        if (ip.ttl() <= 1) {
            icmp.ttlExceeded(frame, offset, ip, ip.dst());
            return;
        }
        ip.decrementTtl();
        final int mtu = xmit.exceededMtu(size, rip);
        if (mtu > 0 && ip.dontFragment()) {
            icmp.fragmentationNeeded(frame, offset, ip, ip.dst(), mtu);
            return;
        }
        if (method == 0) {
            NatRewrite.ipv4Dst(frame, ip.offset(), validator.l4Offset(), rip, view.dport);
        }
        xmit.send(frame, offset, length, hop, mtu);
    }

    /** Realserver to client: the reply half of a NAT connection gets the VIP back as its source. */
    private void fromRealserver(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip,
                                final int protocol) {
        view.tcpFlags = protocol == IpProtocol.TCP ? validator.tcp().flags() : -1;
        view.apply = true;
        if (!dp.connections().outbound(protocol, ip.dst(), dstPort(protocol), ip.src(), srcPort(protocol), view)) {
            counters[PathCounters.PASSED]++;
            return;
        }
        if ((view.flags & ConnectionTable.F_FWD_MASK) != 0) {
            counters[PathCounters.PASSED]++;
            return;
        }
        if (ip.ttl() <= 1) {
            icmp.ttlExceeded(frame, offset, ip, routes.sourceFor(inPort.ifIndex(), ip.src()));
            return;
        }
        final long hop = routes.nextHop(view.caddr);
        if (hop == -1) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        final int size = ip.totalLength();
        // As ip_forward before IPVS's reply hook: too big with DF is refused from the director's own address.
        final int mtu = xmit.exceededMtu(size, view.caddr);
        if (mtu > 0 && ip.dontFragment()) {
            icmp.fragmentationNeeded(frame, offset, ip, routes.sourceFor(inPort.ifIndex(), ip.src()), mtu);
            return;
        }
        view.owner.counters().addOut(size);
        view.owner.serviceCounters().addOut(size);
        dp.totals().addOut(size);
        ip.decrementTtl();
        NatRewrite.ipv4Src(frame, ip.offset(), validator.l4Offset(), view.vaddr, view.vport);
        xmit.send(frame, offset, length, hop, mtu);
    }
}
