package io.jvs.admin.state;

import io.jvs.api.Addresses;
import io.jvs.api.SyncDaemon;
import io.jvs.api.Timeouts;
import io.jvs.api.VirtualServerTable;

/**
 * What a state file holds beyond {@code ipvsadm -Sn}'s service lines: the timeouts (when not the kernel's
 * defaults) and the sync daemons, written as the commands that restore them.
 */
public final class StateBody {
    private StateBody() {
    }

    /**
     * @param serviceLines the table's service and real-server lines (Ipvsadm.saveState)
     */
    public static String of(final String serviceLines, final VirtualServerTable table) {
        final StringBuilder b = new StringBuilder(serviceLines);
        final Timeouts t = table.timeouts();
        if (!t.equals(Timeouts.DEFAULTS)) {
            b.append("--set ").append(t.tcp()).append(' ').append(t.tcpFin()).append(' ').append(t.udp()).append('\n');
        }
        for (final SyncDaemon d : table.daemons()) {
            b.append("--start-daemon ").append(d.state().word())
                    .append(" --mcast-interface ").append(d.mcastInterface())
                    .append(" --syncid ").append(d.syncId());
            if (d.maxLength() != 0) {
                b.append(" --sync-maxlen ").append(d.maxLength());
            }
            if (d.group() != null) {
                b.append(" --mcast-group ").append(Addresses.numeric(d.group()));
            }
            if (d.port() != 0) {
                b.append(" --mcast-port ").append(d.port());
            }
            if (d.ttl() != 0) {
                b.append(" --mcast-ttl ").append(d.ttl());
            }
            b.append('\n');
        }
        return b.toString();
    }
}
