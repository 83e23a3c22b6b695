package io.jvs.core.conn;

import io.jvs.api.Timeouts;

/**
 * Idle timeouts in seconds of each TCP state and of UDP under the table's {@link Timeouts}. As the kernel's
 * {@code ip_vs_set_timeout}, {@code ipvsadm --set tcp tcpfin udp} sets only ESTABLISHED, FIN_WAIT and the one
 * UDP state; every other TCP state keeps its default.
 */
public final class ConnectionTimeouts {
    public static final ConnectionTimeouts DEFAULTS = new ConnectionTimeouts(Timeouts.DEFAULTS);

    private final int[] tcp = new int[TcpState.values().length];
    private final int udp;

    /** A zero field keeps the default, as a zero in {@code --set} keeps the current value. */
    public ConnectionTimeouts(final Timeouts timeouts) {
        final Timeouts t = timeouts.over(Timeouts.DEFAULTS);
        for (final TcpState s : TcpState.values()) {
            tcp[s.ordinal()] = s.defaultTimeout();
        }
        tcp[TcpState.ESTABLISHED.ordinal()] = t.tcp();
        tcp[TcpState.FIN_WAIT.ordinal()] = t.tcpFin();
        udp = t.udp();
    }

    /** Seconds a TCP connection in this state (by code) may stay idle. */
    public int tcp(final int state) {
        return tcp[state];
    }

    public int tcp(final TcpState state) {
        return tcp[state.ordinal()];
    }

    /** Seconds a UDP connection may stay idle. */
    public int udp() {
        return udp;
    }
}
