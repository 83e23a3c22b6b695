package io.jvs.core.dataplane;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.ServiceConfig;
import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.conn.TcpState;
import io.jvs.core.conn.TcpStateTable;
import io.jvs.core.port.FrameHandler;
import io.jvs.core.port.Port;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.Service;
import io.jvs.core.wire.ArpPacket;
import io.jvs.core.wire.EthernetHeader;
import io.jvs.core.wire.IcmpHeader;
import io.jvs.core.wire.IpProtocol;
import io.jvs.core.wire.Ipv4Fragmenter;
import io.jvs.core.wire.Ipv4Header;
import io.jvs.core.wire.NatRewrite;
import io.jvs.core.wire.PacketValidator;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * One packet worker: owns queue {@code q} of every port, and runs each received frame through the director's
 * path (DESIGN.md section 1): L2 (ARP for VIPs, learning neighbours), L3 checks, connection lookup in either
 * direction, scheduling of new connections, the TCP state machine, NAT or direct-routing rewrite, and transmit.
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
    private final PacketFlow flow = new PacketFlow();
    private final IcmpRelay icmpRelay = new IcmpRelay();
    private final IcmpBudget icmpBudget = new IcmpBudget();
    private final IcmpPeerLimit icmpPeers = new IcmpPeerLimit(new SplittableRandom().nextInt());
    private final HeldFrames held;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(2048);
    /** Counters by {@link PathCounters} index; written by this worker only. */
    final long[] counters = new long[PathCounters.SIZE];

    // Per batch.
    private ServiceIndex index = ServiceIndex.EMPTY;
    private RouteTable routes = RouteTable.EMPTY;
    private long now;
    // Per frame.
    private int in;
    private Port inPort;
    /** Sent to this port's MAC, not broadcast: only such a packet earns an ICMP error (Linux: PACKET_HOST). */
    private boolean toUs;

    Worker(final Dataplane dp, final int queue) {
        this.dp = dp;
        this.q = queue;
        this.ports = dp.ports();
        this.validator = new PacketValidator(dp.settings().verifyChecksums());
        this.held = new HeldFrames(64);
        view.states = dp.settings().secureTcp() ? TcpStateTable.SECURE : TcpStateTable.NORMAL;
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
        if (held.size() > 0) {
            releaseHeld();
        }
        for (final Port p : ports) {
            p.flush(q);
        }
        return n;
    }

    /** Whether frames wait for a next hop's MAC: they must be retried or expired even if nothing arrives. */
    boolean holding() {
        return held.size() > 0;
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
            if (transmit(in, frame, offset, length)) {
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
                icmpToVip(frame, offset, length, ip);
            } else {
                toVip(frame, offset, length, ip, protocol);
            }
        } else if (!toUs) {
            counters[PathCounters.PASSED]++;   // a link-layer broadcast is never forwarded (ip_forward: PACKET_HOST)
        } else if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) {
            fromRealserver(frame, offset, length, ip, protocol);
        } else if (protocol == IpProtocol.ICMP && validator.icmp().isErrorV4()) {
            icmpFromRealserver(frame, offset, length, ip);
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
        if (syn && reused(conns, protocol, saddr, sport, daddr, dport)) {
            counters[PathCounters.REUSED]++;
        } else {
            view.apply = true;
            if (conns.inbound(protocol, saddr, sport, daddr, dport, view)) {
                final DestinationState owner = view.owner;
                if (owner.isAvailable()) {
                    forwardIn(frame, offset, length, ip, owner);
                    return;
                }
                if (!destGone(conns, protocol, saddr, sport, daddr, dport)) {
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
        flow.set(protocol, saddr, sport, daddr, dport);
        if (!newConnection(svc, protocol, saddr, sport, daddr, dport)) {
            noDestination(frame, offset, ip);
            return;
        }
        if (view.slot == Integer.MIN_VALUE) {
            return;   // dropped and counted by newConnection
        }
        forwardIn(frame, offset, length, ip, view.owner);
    }

    /**
     * conn_reuse_mode, as {@code ip_vs_in} and {@code is_new_conn_expected}: a SYN that finds a connection it may
     * safely leave (TIME_WAIT or CLOSE; with bit 2 also FIN_WAIT for DR and tunnel; with expire_nodest_conn any
     * whose realserver is quiescent) ends that connection so the SYN is scheduled anew, rather than reviving a
     * finished connection on a realserver that may be quiescent or gone. A connection under a persistence template
     * is left only for a quiescent realserver: otherwise the SYN follows it, to the realserver the template pins
     * anyway. A template controlling connections stays.
     */
    private boolean reused(final ConnectionTable conns, final int protocol, final int saddr, final int sport,
                           final int daddr, final int dport) {
        final int mode = dp.settings().connReuseMode();
        if (mode == 0) {
            return false;
        }
        view.apply = false;
        if (!conns.inbound(protocol, saddr, sport, daddr, dport, view)) {
            return false;
        }
        final boolean quiescent = dp.settings().expireNodestConn() && view.owner.weight() == 0;
        final boolean expected = view.controlSlot < 0 && (view.state == TcpState.TIME_WAIT.ordinal()
                || view.state == TcpState.CLOSE.ordinal()
                || (mode & 2) != 0 && view.state == TcpState.FIN_WAIT.ordinal()
                && (view.flags & ConnectionTable.F_NOOUTPUT) != 0);
        if ((quiescent || expected) && view.controlled == 0) {
            conns.remove(protocol, saddr, sport, daddr, dport);
            return true;
        }
        return false;
    }

    /**
     * A packet of a connection whose realserver is gone (deleted, or unavailable). As {@code ip_vs_in}: with
     * expire_nodest_conn the connection ends now and the packet goes on as one of no connection (a SYN or a
     * datagram is scheduled anew); without, the packet is dropped and the connection runs out its timer.
     *
     * @return whether the packet goes on
     */
    private boolean destGone(final ConnectionTable conns, final int protocol, final int saddr, final int sport,
                             final int daddr, final int dport) {
        if (!dp.settings().expireNodestConn()) {
            counters[PathCounters.DROP_DEST_GONE]++;
            return false;
        }
        conns.remove(protocol, saddr, sport, daddr, dport);
        counters[PathCounters.NODEST_EXPIRED]++;
        return true;
    }

    /**
     * Schedules and records a new connection (with its persistence template first when the service is
     * persistent). Returns false when no realserver is available; on success {@link #view} holds the connection
     * (or, for a one-packet or dropped packet, {@code view.slot} is -1 or {@code Integer.MIN_VALUE}).
     */
    private boolean newConnection(final Service svc, final int protocol, final int saddr, final int sport,
                                  final int daddr, final int dport) {
        final ServiceConfig config = svc.config();
        final ConnectionTable conns = dp.connections();
        DestinationState dest = null;
        int control = -1;
        if (config.persistent()) {
            final int cnet = saddr & config.netmask();
            final int tport = config.key().port();
            for (int attempt = 0; attempt < 2 && dest == null; attempt++) {
                view.apply = false;
                if (conns.useTemplate(protocol, cnet, daddr, tport, view)) {
                    final DestinationState pinned = view.owner;
                    if (pinned.isAvailable() && (pinned.weight() > 0 || !dp.settings().expireQuiescentTemplate())) {
                        dest = pinned;
                        control = view.slot;
                    } else {
                        conns.killTemplate(view.slot);
                        conns.releaseTemplate(view.slot);
                    }
                }
                if (dest == null) {
                    final DestinationState chosen = svc.state().schedule(flow);
                    if (chosen == null) {
                        return false;
                    }
                    if (conns.insert(protocol, cnet, 0, daddr, tport, chosen.ipv4(), tport == 0 ? 0 : chosen.port(),
                            ConnectionTable.F_TEMPLATE | methodFlags(chosen), 0, config.timeout(), -1, 1, chosen,
                            view)) {
                        chosen.templateBound(true);
                        dest = chosen;
                        control = view.slot;
                    } else if (view.slot < 0) {
                        return tableFull();
                    }
                    // else another worker made the template first: use it on the next attempt
                }
            }
            if (dest == null) {
                return false;
            }
        } else {
            dest = svc.state().schedule(flow);
            if (dest == null) {
                return false;
            }
        }
        svc.counters().addConnection();
        dest.counters().addConnection();
        dp.totals().addConnection();
        if (config.onePacket() && protocol == IpProtocol.UDP) {
            // One-packet scheduling: the connection lives for this datagram only and is never hashed.
            if (control >= 0) {
                conns.releaseTemplate(control);
            }
            view.owner = dest;
            view.flags = methodFlags(dest);
            view.daddr = dest.ipv4();
            view.dport = dest.port();
            view.slot = -1;
            return true;
        }
        dest.bind();
        view.apply = true;
        final boolean inserted = conns.insert(protocol, saddr, sport, daddr, dport, dest.ipv4(), dest.port(),
                methodFlags(dest) | ConnectionTable.F_INACTIVE, 0, 0, control, 0, dest, view);
        if (!inserted) {
            dest.unbind(false);
            if (control >= 0) {
                conns.releaseTemplate(control);
            }
            if (view.slot < 0) {
                return tableFull();
            }
        }
        return true;
    }

    private boolean tableFull() {
        counters[PathCounters.DROP_TABLE_FULL]++;
        view.slot = Integer.MIN_VALUE;
        return true;
    }

    private static int methodFlags(final DestinationState dest) {
        final ForwardingMethod m = dest.method();
        return switch (m) {
            case MASQ -> 0;
            case LOCAL -> 1 | ConnectionTable.F_NOOUTPUT;
            case TUNNEL -> 2 | ConnectionTable.F_NOOUTPUT;
            case ROUTE -> 3 | ConnectionTable.F_NOOUTPUT;
        };
    }

    /** As {@code ip_vs_leave}: no realserver, so ICMP port unreachable to the client, and the packet is dropped. */
    private void noDestination(final ByteBuffer frame, final int offset, final Ipv4Header ip) {
        counters[PathCounters.DROP_NO_DESTINATION]++;
        if (icmpAllowed(ip.src())) {
            final int n = Frames.portUnreachable(frame, offset, ip.offset(), ip.totalLength(), scratch, 0,
                    inPort.mac());
            reply(n);
        }
    }

    /**
     * A packet whose TTL would reach 0 here: dropped, and its sender told (ICMP time exceeded from {@code source}:
     * the VIP for a client's packet, as IPVS's {@code decrement_ttl}; the director's address for a realserver's,
     * as {@code ip_forward}).
     */
    private void ttlExceeded(final ByteBuffer frame, final int offset, final Ipv4Header ip, final int source) {
        counters[PathCounters.DROP_TTL]++;
        if (source != 0 && icmpAllowed(ip.src())) {
            final int n = Frames.timeExceeded(frame, offset, ip.offset(), ip.totalLength(), scratch, 0, inPort.mac(),
                    source);
            reply(n);
        }
    }

    /**
     * Sends the ICMP error made in {@link #scratch} back out of the port the frame came in on. The frame's outcome
     * is already counted (its drop); an error lost to a full ring is not another one.
     */
    private void reply(final int length) {
        ports[in].transmit(q, scratch, 0, length);
    }

    /**
     * Whether an error to {@code peer} (the offending packet's source) may be sent. As Linux's {@code __icmp_send}:
     * the global budget is only looked at, then the peer's limit decides, and only an error that is sent spends
     * global credit; a refusal by either counts as {@code icmp_limited}.
     */
    private boolean icmpAllowed(final int peer) {
        if (!toUs) {
            return false;
        }
        if (icmpBudget.allows(now) && icmpPeers.take(peer, now)) {
            icmpBudget.spend();
            return true;
        }
        counters[PathCounters.ICMP_LIMITED]++;
        return false;
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
            ttlExceeded(frame, offset, ip, ip.dst());
            return;
        }
        ip.decrementTtl();
        final int mtu = exceededMtu(size, rip);
        if (mtu > 0 && ip.dontFragment()) {
            fragmentationNeeded(frame, offset, ip, ip.dst(), mtu);
            return;
        }
        if (method == 0) {
            NatRewrite.ipv4Dst(frame, ip.offset(), validator.l4Offset(), rip, view.dport);
        }
        send(frame, offset, length, hop, mtu);
    }

    /**
     * The MTU of the path to {@code destination} when a packet of {@code size} bytes exceeds it, else 0. Costs one
     * comparison for a packet no larger than every path's MTU.
     */
    private int exceededMtu(final int size, final int destination) {
        if (size <= routes.smallestMtu()) {
            return 0;
        }
        final int mtu = routes.pathMtu(destination);
        return mtu > 0 && size > mtu ? mtu : 0;
    }

    /**
     * Drops a packet with DF too big for its path, and tells its source the path's MTU (ICMP fragmentation
     * needed, from {@code source}; never rate limited, as the kernel's {@code icmpv4_mask_allow}).
     */
    private void fragmentationNeeded(final ByteBuffer frame, final int offset, final Ipv4Header ip,
                                     final int source, final int mtu) {
        counters[PathCounters.DROP_FRAG_NEEDED]++;
        if (source != 0 && toUs) {
            final int n = Frames.fragmentationNeeded(frame, offset, ip.offset(), ip.totalLength(), scratch, 0,
                    inPort.mac(), source, mtu);
            reply(n);
        }
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
            ttlExceeded(frame, offset, ip, routes.sourceFor(inPort.ifIndex(), ip.src()));
            return;
        }
        final long hop = routes.nextHop(view.caddr);
        if (hop == -1) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        final int size = ip.totalLength();
        // As ip_forward before IPVS's reply hook: too big with DF is refused from the director's own address.
        final int mtu = exceededMtu(size, view.caddr);
        if (mtu > 0 && ip.dontFragment()) {
            fragmentationNeeded(frame, offset, ip, routes.sourceFor(inPort.ifIndex(), ip.src()), mtu);
            return;
        }
        view.owner.counters().addOut(size);
        view.owner.serviceCounters().addOut(size);
        dp.totals().addOut(size);
        ip.decrementTtl();
        NatRewrite.ipv4Src(frame, ip.offset(), validator.l4Offset(), view.vaddr, view.vport);
        send(frame, offset, length, hop, mtu);
    }

    // ---- ICMP ----

    private void icmpToVip(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip) {
        final IcmpHeader icmp = validator.icmp();
        if (icmp.type() == IcmpHeader.ECHO_REQUEST) {
            icmp.echoToReply();
            final int src = ip.src();
            ip.rewriteSrc(ip.dst());
            ip.rewriteDst(src);
            final EthernetHeader eth = validator.ethernet();
            eth.swapMacs();
            eth.setSrcMac(inPort.mac());
            if (transmit(in, frame, offset, length)) {
                counters[PathCounters.ECHO_REPLIES]++;
            }
            return;
        }
        final int end = ip.offset() + ip.totalLength();
        // An error about a packet the VIP sent to a client: the quote is VIP:vport -> client:cport.
        if (!icmp.isErrorV4() || !icmpRelay.parse(frame, icmp.offset(), end)) {
            counters[PathCounters.PASSED]++;
            return;
        }
        view.apply = false;
        if (!dp.connections().inbound(icmpRelay.protocol, icmpRelay.dst, icmpRelay.dport, icmpRelay.src,
                icmpRelay.sport, view)) {
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
            icmpRelay.rewriteQuotedSource(frame, view.daddr, view.dport);
            ip.rewriteDst(view.daddr);
            IcmpRelay.fillChecksum(frame, icmp.offset(), end);
        } else if (method != 3) {
            counters[PathCounters.DROP_UNSUPPORTED]++;
            return;
        }
        final long hop = routes.nextHop(view.daddr);
        if (hop == -1 || method == 3 && (int) hop != view.daddr) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        counters[PathCounters.ICMP_RELAYED]++;
        // A relayed error is never refused for its size (IPVS: !ip_vs_iph_icmp); it is cut if it must be.
        send(frame, offset, length, hop, exceededMtu(ip.totalLength(), view.daddr));
    }

    /** An error a NAT realserver sends about a client's packet (quote: client:cport -> RIP:rport). */
    private void icmpFromRealserver(final ByteBuffer frame, final int offset, final int length, final Ipv4Header ip) {
        final IcmpHeader icmp = validator.icmp();
        final int end = ip.offset() + ip.totalLength();
        if (!icmpRelay.parse(frame, icmp.offset(), end)) {
            counters[PathCounters.PASSED]++;
            return;
        }
        view.apply = false;
        if (!dp.connections().outbound(icmpRelay.protocol, icmpRelay.src, icmpRelay.sport, icmpRelay.dst,
                icmpRelay.dport, view) || (view.flags & ConnectionTable.F_FWD_MASK) != 0
                || ip.src() != view.daddr) {
            counters[PathCounters.PASSED]++;
            return;
        }
        if (ip.ttl() <= 1) {
            counters[PathCounters.DROP_TTL]++;
            return;
        }
        icmpRelay.rewriteQuotedDestination(frame, view.vaddr, view.vport);
        ip.decrementTtl();
        ip.rewriteSrc(view.vaddr);
        IcmpRelay.fillChecksum(frame, icmp.offset(), end);
        final long hop = routes.nextHop(view.caddr);
        if (hop == -1) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        counters[PathCounters.ICMP_RELAYED]++;
        send(frame, offset, length, hop, exceededMtu(ip.totalLength(), view.caddr));
    }

    // ---- transmit ----

    /**
     * Sends a rewritten frame to the next hop {@code hop} ({@code ifIndex << 32 | address}), resolving its MAC;
     * as fragments for {@code mtu} when that is not 0 (the packet exceeds it).
     */
    private void send(final ByteBuffer frame, final int offset, final int length, final long hop, final int mtu) {
        final int out = dp.portOf((int) (hop >>> 32));
        if (out < 0) {
            counters[PathCounters.DROP_NO_ROUTE]++;
            return;
        }
        final int nextHop = (int) hop;
        final long mac = dp.neighbours().lookup(nextHop);
        if (mac < 0) {
            if (!held.hold(frame, offset, length, out, nextHop, mtu, now)) {
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

    private boolean transmit(final int port, final ByteBuffer frame, final int offset, final int length) {
        if (ports[port].transmit(q, frame, offset, length)) {
            return true;
        }
        counters[PathCounters.DROP_TX_FULL]++;
        return false;
    }

    private void requestMac(final int port, final int address) {
        if (dp.neighbours().shouldRequest(address, now)) {
            final int n = Frames.arpRequest(scratch, 0, ports[port].mac(), routes.primaryAddress(ports[port].ifIndex()),
                    address);
            ports[port].transmit(q, scratch, 0, n);   // the frame that asked is held or counted already
        }
    }

    /** Frames waiting for ARP go out once their next hop resolved, or are dropped after a while. */
    private void releaseHeld() {
        for (int i = held.first(); i >= 0; i = held.next(i)) {
            final long mac = dp.neighbours().lookup(held.nextHop(i));
            if (mac >= 0) {
                if (sendTo(held.port(i), mac, held.buffer(), held.offset(i), held.length(i), held.mtu(i))) {
                    counters[PathCounters.RELEASED]++;
                }
                held.release(i);
            } else if (now - held.since(i) > HeldFrames.MAX_WAIT_MILLIS) {
                counters[PathCounters.DROP_NO_NEIGHBOUR]++;
                held.release(i);
            }
        }
    }
}
