package io.jvs.admin.cli;

import io.jvs.api.DestinationConfig;
import io.jvs.api.DestinationInfo;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.Stats;
import io.jvs.api.TunnelType;

import java.util.List;

/**
 * The service listings of {@code ipvsadm -L}: the title lines and, per service, the service line and its real
 * servers, in the default, {@code --stats}, {@code --rate}, {@code --thresholds}, {@code --persistent-conn} and
 * {@code --tun-info} layouts (that order of precedence, as ipvsadm's {@code print_service_entry}).
 */
final class ServiceListing {
    private static final String PROT_LOCAL = "Prot LocalAddress:Port";
    private static final String REMOTE = "  -> RemoteAddress:Port\n";

    private final Names names;
    private final int format;
    private final boolean exact;

    ServiceListing(final NameResolver resolver, final int format) {
        this.names = new Names(resolver, Format.has(format, Format.NUMERIC));
        this.format = format;
        this.exact = Format.has(format, Format.EXACT);
    }

    /** {@code print_title}. */
    void title(final StringBuilder b) {
        if (Format.has(format, Format.STATS)) {
            header(b, "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
        } else if (Format.has(format, Format.RATE)) {
            header(b, "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
        } else if (Format.has(format, Format.THRESHOLDS)) {
            Columns.left(b, PROT_LOCAL, 33).append(' ');
            Columns.left(b, "Uthreshold", 10).append(' ');
            Columns.left(b, "Lthreshold", 10).append(' ');
            Columns.left(b, "ActiveConn", 10).append(' ');
            Columns.left(b, "InActConn", 10).append('\n').append(REMOTE);
        } else if (Format.has(format, Format.PERSISTENTCONN)) {
            Columns.left(b, PROT_LOCAL, 33).append(' ');
            Columns.left(b, "Weight", 9).append(' ');
            Columns.left(b, "PersistConn", 11).append(' ');
            Columns.left(b, "ActiveConn", 10).append(' ');
            Columns.left(b, "InActConn", 10).append('\n').append(REMOTE);
        } else if (Format.has(format, Format.TUN_INFO)) {
            b.append("Prot LocalAddress:Port Scheduler Flags\n")
                    .append("  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
        } else {
            b.append("Prot LocalAddress:Port Scheduler Flags\n")
                    .append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
        }
    }

    private static void header(final StringBuilder b, final String... columns) {
        Columns.left(b, PROT_LOCAL, 33);
        for (final String c : columns) {
            b.append(' ');
            Columns.right(b, c, 8);
        }
        b.append('\n').append(REMOTE);
    }

    /** One service and its real servers. */
    void service(final StringBuilder b, final ServiceInfo s) {
        final ServiceConfig c = s.config();
        final ServiceKey key = c.key();
        final String name = serviceName(key);
        if (Format.has(format, Format.STATS)) {
            Columns.left(b, name, 33);
            counters(b, s.stats());
        } else if (Format.has(format, Format.RATE)) {
            Columns.left(b, name, 33);
            rates(b, s.stats());
        } else {
            b.append(name).append(' ').append(c.scheduler());
            if ((c.schedFlags() & SchedulerFlags.ALL) != 0) {
                b.append(" (").append(SchedulerFlags.names(c.scheduler(), c.schedFlags())).append(')');
            }
            if (c.persistent()) {
                b.append(" persistent ").append(Integer.toUnsignedString(c.timeout()));
                appendMask(b, key, c.netmask(), " mask ");
            }
            if (c.onePacket()) {
                b.append(" ops");
            }
        }
        b.append('\n');
        final List<DestinationInfo> dests =
                ServiceOrder.destinations(s.destinations(), Format.has(format, Format.NOSORT));
        for (final DestinationInfo d : dests) {
            destination(b, key, d);
        }
    }

    /** Mask text after "mask"/"-M": dotted IPv4 unless /32, IPv6 prefix unless /128. */
    static void appendMask(final StringBuilder b, final ServiceKey key, final int netmask, final String label) {
        if (ServiceOrder.isV6(key)) {
            if (netmask != ServiceConfig.HOST_PREFIX_V6) {
                b.append(label).append(netmask);
            }
        } else if (netmask != ServiceConfig.HOST_MASK_V4) {
            b.append(label).append(netmask >>> 24).append('.').append(netmask >>> 16 & 0xff).append('.')
                    .append(netmask >>> 8 & 0xff).append('.').append(netmask & 0xff);
        }
    }

    private String serviceName(final ServiceKey key) {
        if (key.isFwmark()) {
            return "FWM  " + Integer.toUnsignedString(key.fwmark()) + (key.isIpv6() ? " IPv6" : "");
        }
        final String protocol = key.protocol().name();
        final StringBuilder n = new StringBuilder(48);
        Columns.left(n, protocol, 4).append(' ')
                .append(names.addrPort(key.address(), key.port(), key.protocol()));
        if (!key.isIpv6() && n.length() > 33) {
            n.setLength(33);
        }
        return n.toString();
    }

    private void destination(final StringBuilder b, final ServiceKey key, final DestinationInfo d) {
        final DestinationConfig c = d.config();
        String name = names.addrPort(c.endpoint().address(), c.endpoint().port(), key.protocol());
        if (!(c.endpoint().address() instanceof java.net.Inet6Address) && name.length() > 28) {
            name = name.substring(0, 28);
        }
        b.append("  -> ");
        if (Format.has(format, Format.STATS)) {
            Columns.left(b, name, 28);
            counters(b, d.stats());
        } else if (Format.has(format, Format.RATE)) {
            Columns.left(b, name, 28);
            final Stats r = d.stats();
            b.append(' ');
            Columns.right(b, Long.toUnsignedString(r.cps()), 8).append(' ');
            Columns.right(b, Long.toUnsignedString(r.inPps()), 8).append(' ');
            Columns.right(b, Long.toUnsignedString(r.outPps()), 8);
            Columns.largeNum(b, r.inBps(), exact);
            Columns.largeNum(b, r.outBps(), exact);
        } else if (Format.has(format, Format.THRESHOLDS)) {
            Columns.left(b, name, 28).append(' ');
            Columns.left(b, c.upperThreshold(), 10).append(' ');
            Columns.left(b, c.lowerThreshold(), 10).append(' ');
            Columns.left(b, d.activeConns(), 10).append(' ');
            Columns.left(b, d.inactiveConns(), 10);
        } else if (Format.has(format, Format.PERSISTENTCONN)) {
            Columns.left(b, name, 28).append(' ');
            Columns.left(b, c.weight(), 9).append(' ');
            Columns.left(b, d.persistentConns(), 11).append(' ');
            Columns.left(b, d.activeConns(), 10).append(' ');
            Columns.left(b, d.inactiveConns(), 10);
        } else {
            Columns.left(b, name, 28).append(' ');
            Columns.left(b, c.method().label(), 7).append(' ');
            if (Format.has(format, Format.TUN_INFO)) {
                Columns.left(b, tunnelInfo(c), 13).append(' ');
            }
            Columns.left(b, c.weight(), 6).append(' ');
            Columns.left(b, d.activeConns(), 10).append(' ');
            Columns.left(b, d.inactiveConns(), 10);
        }
        b.append('\n');
    }

    /** {@code fwd_tun_info}: {@code ipip}, {@code gue:<port>:<flags>}, {@code gre:<flags>}, else {@code n/a}. */
    private static String tunnelInfo(final DestinationConfig c) {
        if (c.method() != ForwardingMethod.TUNNEL) {
            return "n/a";
        }
        final TunnelType t = c.tunnelType();
        return switch (t) {
            case IPIP -> "ipip";
            case GUE -> "gue:" + c.tunnelPort() + ":" + c.tunnelChecksum().info();
            case GRE -> "gre:" + c.tunnelChecksum().info();
        };
    }

    private void counters(final StringBuilder b, final Stats s) {
        Columns.largeNum(b, s.conns(), exact);
        Columns.largeNum(b, s.inPkts(), exact);
        Columns.largeNum(b, s.outPkts(), exact);
        Columns.largeNum(b, s.inBytes(), exact);
        Columns.largeNum(b, s.outBytes(), exact);
    }

    private void rates(final StringBuilder b, final Stats s) {
        Columns.largeNum(b, s.cps(), exact);
        Columns.largeNum(b, s.inPps(), exact);
        Columns.largeNum(b, s.outPps(), exact);
        Columns.largeNum(b, s.inBps(), exact);
        Columns.largeNum(b, s.outBps(), exact);
    }
}
