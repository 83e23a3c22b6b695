package io.jvs.api;

/** The layer-4 protocol of an address-based virtual service, numbered as IANA numbers it. */
public enum Protocol {
    TCP(6, "-t"),
    UDP(17, "-u"),
    SCTP(132, "--sctp-service");

    private final int number;
    private final String option;

    Protocol(final int number, final String option) {
        this.number = number;
        this.option = option;
    }

    /** IP protocol number (6, 17, 132). */
    public int number() {
        return number;
    }

    /** The ipvsadm option that names a service of this protocol. */
    public String option() {
        return option;
    }
}
