package io.jvs.admin.cli;

import io.jvs.api.DestinationConfig;
import io.jvs.api.DestinationInfo;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;

/**
 * {@code ipvsadm -S}: each service as the {@code -A} line that recreates it, followed by an {@code -a} line per
 * real server. Thresholds are not written, as in ipvsadm 1.31.
 *
 * <p>In state mode (the appliance's saved table) the lines must rebuild the table exactly, not just
 * equivalently: real servers are written oldest first, so that re-adding each at the head of the list
 * restores the kernel list order schedulers walk, and thresholds are written with {@code -x}/{@code -y}.
 */
final class RuleWriter {
    private final Names names;
    private final boolean state;

    RuleWriter(final NameResolver resolver, final boolean numeric) {
        this(resolver, numeric, false);
    }

    RuleWriter(final NameResolver resolver, final boolean numeric, final boolean state) {
        this.names = new Names(resolver, numeric);
        this.state = state;
    }

    void service(final StringBuilder b, final ServiceInfo s) {
        final ServiceConfig c = s.config();
        final ServiceKey key = c.key();
        final String name = serviceName(key);
        b.append("-A ").append(name).append(" -s ").append(c.scheduler());
        if (c.persistent()) {
            b.append(" -p ").append(Integer.toUnsignedString(c.timeout()));
            ServiceListing.appendMask(b, key, c.netmask(), " -M ");
        }
        if (c.onePacket()) {
            b.append(" -o");
        }
        if ((c.schedFlags() & SchedulerFlags.ALL) != 0) {
            b.append(" -b ").append(SchedulerFlags.names(c.scheduler(), c.schedFlags()));
        }
        b.append('\n');
        final java.util.List<DestinationInfo> dests = state
                ? reversed(s.destinations()) : ServiceOrder.destinations(s.destinations(), false);
        for (final DestinationInfo d : dests) {
            final DestinationConfig dc = d.config();
            b.append("-a ").append(name).append(" -r ")
                    .append(names.addrPort(dc.endpoint().address(), dc.endpoint().port(), key.protocol()))
                    .append(' ').append(dc.method().option()).append(" -w ").append(dc.weight());
            if (dc.method() == ForwardingMethod.TUNNEL) {
                tunnel(b, dc);
            }
            if (state && (dc.upperThreshold() != 0 || dc.lowerThreshold() != 0)) {
                b.append(" -x ").append(dc.upperThreshold()).append(" -y ").append(dc.lowerThreshold());
            }
            b.append('\n');
        }
    }

    private static java.util.List<DestinationInfo> reversed(final java.util.List<DestinationInfo> dests) {
        final java.util.List<DestinationInfo> r = new java.util.ArrayList<>(dests);
        java.util.Collections.reverse(r);
        return r;
    }

    private static void tunnel(final StringBuilder b, final DestinationConfig d) {
        b.append(" --tun-type ").append(d.tunnelType().word());
        switch (d.tunnelType()) {
            case GUE -> b.append(" --tun-port ").append(d.tunnelPort()).append(' ').append(d.tunnelChecksum().option());
            case GRE -> b.append(' ').append(d.tunnelChecksum().option());
            case IPIP -> {
                // ipip has no further options.
            }
        }
    }

    private String serviceName(final ServiceKey key) {
        if (key.isFwmark()) {
            return "-f " + Integer.toUnsignedString(key.fwmark()) + (key.isIpv6() ? " -6" : "");
        }
        return key.protocol().option() + " " + names.addrPort(key.address(), key.port(), key.protocol());
    }
}
