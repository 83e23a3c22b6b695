package io.jvs.api;

/** Tunnel checksum mode ({@code --tun-nocsum|--tun-csum|--tun-remcsum}); kernel numbering 0, 1, 2. */
public enum TunnelChecksum {
    NOCSUM("--tun-nocsum", "-c"),
    CSUM("--tun-csum", "+c"),
    REMCSUM("--tun-remcsum", "r+c");

    private final String option;
    private final String info;

    TunnelChecksum(final String option, final String info) {
        this.option = option;
        this.info = info;
    }

    public String option() {
        return option;
    }

    /** The flag text of {@code --tun-info}. */
    public String info() {
        return info;
    }
}
