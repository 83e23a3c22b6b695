package io.jvs.core.conn;

/**
 * The TCP states of an IPVS connection, in the kernel's numbering ({@code IP_VS_TCP_S_*}): the ordinal is the
 * state code the transition tables use, the name is what {@code ipvsadm -Lc} prints.
 */
public enum TcpState {
    NONE("NO", 2),
    ESTABLISHED("ES", 900),
    SYN_SENT("SS", 120),
    SYN_RECV("SR", 60),
    FIN_WAIT("FW", 120),
    TIME_WAIT("TW", 120),
    CLOSE("CL", 10),
    CLOSE_WAIT("CW", 60),
    LAST_ACK("LA", 30),
    LISTEN("LI", 120),
    SYNACK("SA", 120);

    private static final TcpState[] BY_CODE = values();

    private final String abbreviation;
    private final int defaultTimeout;

    TcpState(final String abbreviation, final int defaultTimeout) {
        this.abbreviation = abbreviation;
        this.defaultTimeout = defaultTimeout;
    }

    /** The state by its code (ordinal). */
    public static TcpState of(final int code) {
        return BY_CODE[code];
    }

    /** The two letters the kernel's tables use ({@code sES} is ESTABLISHED), and so do our table resources. */
    public String abbreviation() {
        return abbreviation;
    }

    /** The kernel's default idle timeout in seconds ({@code tcp_timeouts}). */
    public int defaultTimeout() {
        return defaultTimeout;
    }
}
