package io.jvs.core.dataplane;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.ServiceConfig;
import io.jvs.core.conn.ConnectionTable;
import io.jvs.core.conn.ConnectionView;
import io.jvs.core.conn.TcpState;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.Service;
import io.jvs.core.wire.IpProtocol;

/**
 * What becomes of a client's packet that has no usable connection, as the scheduling half of the kernel's {@code
 * ip_vs_core.c} ({@code ip_vs_in}, {@code ip_vs_schedule}, {@code ip_vs_sched_persist}): a finished connection a
 * SYN may leave (conn_reuse_mode), one whose realserver is gone (expire_nodest_conn), and a new connection,
 * scheduled under its persistence template when the service is persistent. The outcome is in {@link #view}.
 */
final class Scheduling {
    private final Dataplane dp;
    private final ConnectionView view;
    private final long[] counters;
    private final PacketFlow flow = new PacketFlow();

    Scheduling(final Dataplane dp, final ConnectionView view, final long[] counters) {
        this.dp = dp;
        this.view = view;
        this.counters = counters;
    }

    /**
     * conn_reuse_mode, as {@code ip_vs_in} and {@code is_new_conn_expected}: a SYN that finds a connection it may
     * safely leave (TIME_WAIT or CLOSE; with bit 2 also FIN_WAIT for DR and tunnel; with expire_nodest_conn any
     * whose realserver is quiescent) ends that connection so the SYN is scheduled anew, rather than reviving a
     * finished connection on a realserver that may be quiescent or gone. A connection under a persistence template
     * is left only for a quiescent realserver: otherwise the SYN follows it, to the realserver the template pins
     * anyway. A template controlling connections stays.
     */
    boolean reused(final ConnectionTable conns, final int protocol, final int saddr, final int sport,
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
    boolean destGone(final ConnectionTable conns, final int protocol, final int saddr, final int sport,
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
    boolean newConnection(final Service svc, final int protocol, final int saddr, final int sport,
                          final int daddr, final int dport) {
        flow.set(protocol, saddr, sport, daddr, dport);
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
}
