package io.jvs.api;

/**
 * Connection timeouts in seconds: TCP established, TCP after FIN, UDP ({@code ipvsadm --set tcp tcpfin udp}).
 * In a {@code --set} command a 0 keeps the current value.
 */
public record Timeouts(int tcp, int tcpFin, int udp) {
    /** The kernel's defaults: 900 120 300. */
    public static final Timeouts DEFAULTS = new Timeouts(900, 120, 300);

    /** This, with every zero field taken from {@code current}. */
    public Timeouts over(final Timeouts current) {
        return new Timeouts(tcp != 0 ? tcp : current.tcp, tcpFin != 0 ? tcpFin : current.tcpFin,
                udp != 0 ? udp : current.udp);
    }
}
