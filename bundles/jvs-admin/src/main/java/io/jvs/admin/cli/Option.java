package io.jvs.admin.cli;

import java.util.HashMap;
import java.util.Map;

/** ipvsadm 1.31's popt option table: long name, short letter (0 when none) and argument kind. */
enum Option {
    ADD_SERVICE("add-service", 'A', Arg.NONE),
    EDIT_SERVICE("edit-service", 'E', Arg.NONE),
    DELETE_SERVICE("delete-service", 'D', Arg.NONE),
    CLEAR("clear", 'C', Arg.NONE),
    LIST("list", 'L', Arg.NONE),
    /** {@code -l}: popt finds "--list" as the entry above, so this one only has its letter. */
    LIST_LOWER(null, 'l', Arg.NONE),
    ZERO("zero", 'Z', Arg.NONE),
    ADD_SERVER("add-server", 'a', Arg.NONE),
    EDIT_SERVER("edit-server", 'e', Arg.NONE),
    DELETE_SERVER("delete-server", 'd', Arg.NONE),
    SET("set", '\0', Arg.NONE),
    HELP("help", 'h', Arg.NONE),
    VERSION("version", 'v', Arg.NONE),
    RESTORE("restore", 'R', Arg.NONE),
    SAVE("save", 'S', Arg.NONE),
    START_DAEMON("start-daemon", '\0', Arg.REQUIRED),
    STOP_DAEMON("stop-daemon", '\0', Arg.REQUIRED),
    TCP_SERVICE("tcp-service", 't', Arg.REQUIRED),
    UDP_SERVICE("udp-service", 'u', Arg.REQUIRED),
    SCTP_SERVICE("sctp-service", '\0', Arg.REQUIRED),
    FWMARK_SERVICE("fwmark-service", 'f', Arg.REQUIRED),
    SCHEDULER("scheduler", 's', Arg.REQUIRED),
    PERSISTENT("persistent", 'p', Arg.OPTIONAL),
    NETMASK("netmask", 'M', Arg.REQUIRED),
    REAL_SERVER("real-server", 'r', Arg.REQUIRED),
    MASQUERADING("masquerading", 'm', Arg.NONE),
    IPIP("ipip", 'i', Arg.NONE),
    GATEWAYING("gatewaying", 'g', Arg.NONE),
    WEIGHT("weight", 'w', Arg.REQUIRED),
    U_THRESHOLD("u-threshold", 'x', Arg.REQUIRED),
    L_THRESHOLD("l-threshold", 'y', Arg.REQUIRED),
    NUMERIC("numeric", 'n', Arg.NONE),
    CONNECTION("connection", 'c', Arg.NONE),
    MCAST_INTERFACE("mcast-interface", '\0', Arg.REQUIRED),
    SYNCID("syncid", '\0', Arg.REQUIRED),
    TIMEOUT("timeout", '\0', Arg.NONE),
    DAEMON("daemon", '\0', Arg.NONE),
    STATS("stats", '\0', Arg.NONE),
    RATE("rate", '\0', Arg.NONE),
    THRESHOLDS("thresholds", '\0', Arg.NONE),
    PERSISTENT_CONN("persistent-conn", '\0', Arg.NONE),
    NOSORT("nosort", '\0', Arg.NONE),
    SORT("sort", '\0', Arg.NONE),
    EXACT("exact", 'X', Arg.NONE),
    IPV6("ipv6", '6', Arg.NONE),
    OPS("ops", 'o', Arg.NONE),
    PE("pe", '\0', Arg.REQUIRED),
    SCHED_FLAGS("sched-flags", 'b', Arg.REQUIRED),
    MCAST_GROUP("mcast-group", '\0', Arg.REQUIRED),
    MCAST_PORT("mcast-port", '\0', Arg.REQUIRED),
    MCAST_TTL("mcast-ttl", '\0', Arg.REQUIRED),
    SYNC_MAXLEN("sync-maxlen", '\0', Arg.REQUIRED),
    TUN_INFO("tun-info", '\0', Arg.NONE),
    TUN_TYPE("tun-type", '\0', Arg.REQUIRED),
    TUN_PORT("tun-port", '\0', Arg.REQUIRED),
    TUN_NOCSUM("tun-nocsum", '\0', Arg.NONE),
    TUN_CSUM("tun-csum", '\0', Arg.NONE),
    TUN_REMCSUM("tun-remcsum", '\0', Arg.NONE);

    /** Whether an option takes an argument. */
    enum Arg { NONE, REQUIRED, OPTIONAL }

    private static final Map<String, Option> BY_LONG = new HashMap<>();
    private static final Option[] BY_SHORT = new Option[128];

    static {
        for (final Option o : values()) {
            if (o.longName != null) {
                BY_LONG.putIfAbsent(o.longName, o);
            }
            if (o.shortName != '\0') {
                BY_SHORT[o.shortName] = o;
            }
        }
    }

    private final String longName;
    private final char shortName;
    private final Arg arg;

    Option(final String longName, final char shortName, final Arg arg) {
        this.longName = longName;
        this.shortName = shortName;
        this.arg = arg;
    }

    Arg arg() {
        return arg;
    }

    static Option byLong(final String name) {
        return BY_LONG.get(name);
    }

    static Option byShort(final char c) {
        return c < BY_SHORT.length ? BY_SHORT[c] : null;
    }
}
