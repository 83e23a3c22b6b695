package io.jvs.admin.cli;

/**
 * ipvsadm's per-command option matrix and its tunnel-type matrix: '+' compulsory, 'x' illegal, '1' at most one
 * of the '1' options, ' ' optional. Checked column by column so the first offending column names the error, as
 * ipvsadm's {@code generic_opt_check} does.
 */
final class Legality {
    /** Column names, indexed by the option's column (the names ipvsadm's messages print). */
    static final String[] OPTION_NAMES = {
        "numeric", "connection", "service-address", "scheduler", "persistent", "netmask", "real-server",
        "forwarding-method", "weight", "u-threshold", "l-threshold", "mcast-interface", "timeout", "daemon",
        "stats", "rate", "thresholds", "persistent-conn", "nosort", "syncid", "exact", "ops", "pe",
        "sched-flags", "mcast-group", "mcast-port", "mcast-ttl", "sync-maxlen", "tun-info", "tun-type",
        "tun-port", "tun-nocsum", "tun-csum", "tun-remcsum",
    };

    static final int NUMERIC = 0;
    static final int CONNECTION = 1;
    static final int SERVICE = 2;
    static final int SCHEDULER = 3;
    static final int PERSISTENT = 4;
    static final int NETMASK = 5;
    static final int SERVER = 6;
    static final int FORWARD = 7;
    static final int WEIGHT = 8;
    static final int UTHRESHOLD = 9;
    static final int LTHRESHOLD = 10;
    static final int MCAST = 11;
    static final int TIMEOUT = 12;
    static final int DAEMON = 13;
    static final int STATS = 14;
    static final int RATE = 15;
    static final int THRESHOLDS = 16;
    static final int PERSISTENTCONN = 17;
    static final int NOSORT = 18;
    static final int SYNCID = 19;
    static final int EXACT = 20;
    static final int ONEPACKET = 21;
    static final int PERSISTENCE_ENGINE = 22;
    static final int SCHED_FLAGS = 23;
    static final int MCAST_GROUP = 24;
    static final int MCAST_PORT = 25;
    static final int MCAST_TTL = 26;
    static final int SYNC_MAXLEN = 27;
    static final int TUN_INFO = 28;
    static final int TUN_TYPE = 29;
    static final int TUN_PORT = 30;
    static final int TUN_NOCSUM = 31;
    static final int TUN_CSUM = 32;
    static final int TUN_REMCSUM = 33;

    //                                            1111111111222222222233333
    //                                  01234567890123456789012345678901234
    private static final String[] COMMANDS_V_OPTIONS = {
        /* ADD */      "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
        /* EDIT */     "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
        /* DEL */      "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /* FLUSH */    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /* LIST */     " 11xxxxxxxxx11       xxxxxxx xxxxx",
        /* ADDDEST */  "xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
        /* DELDEST */  "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /* EDITDEST */ "xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
        /* TIMEOUT */  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /* STARTD */   "xxxxxxxxxxx xxxxxxx xxxx    xxxxxx",
        /* STOPD */    "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx",
        /* RESTORE */  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /* SAVE */     " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        /* ZERO */     "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    };

    /** Tunnel names by kernel tunnel type. */
    static final String[] TUNNEL_NAMES = {"ipip", "gue", "gre"};
    private static final int[] TUNNEL_COLUMNS = {TUN_PORT, TUN_NOCSUM, TUN_CSUM, TUN_REMCSUM};
    private static final String[] TUNNEL_TYPES_V_OPTIONS = {
        /* ipip */ "xxxx",
        /* gue */  "+111",
        /* gre */  "x11x",
    };

    private Legality() {
    }

    static long bit(final int column) {
        return 1L << column;
    }

    static void check(final Command command, final long options) throws CliFailure {
        final String row = COMMANDS_V_OPTIONS[command.ordinal()];
        int exclusive = -1;
        for (int j = 0; j < OPTION_NAMES.length; j++) {
            final char rule = row.charAt(j);
            if ((options & bit(j)) == 0) {
                if (rule == '+') {
                    throw CliFailure.fail("You need to supply the '" + OPTION_NAMES[j] + "' option for the '"
                            + command.text() + "' command");
                }
                continue;
            }
            if (rule == 'x') {
                throw CliFailure.fail("Illegal '" + OPTION_NAMES[j] + "' option with the '" + command.text()
                        + "' command");
            }
            if (rule == '1') {
                if (exclusive >= 0) {
                    throw CliFailure.fail("The option '" + OPTION_NAMES[j] + "' conflicts with the '"
                            + OPTION_NAMES[exclusive] + "' option in the '" + command.text() + "' command");
                }
                exclusive = j;
            }
        }
    }

    static void checkTunnel(final int tunnelType, final long options) throws CliFailure {
        final String row = TUNNEL_TYPES_V_OPTIONS[tunnelType];
        final String type = TUNNEL_NAMES[tunnelType];
        int exclusive = -1;
        for (int j = 0; j < TUNNEL_COLUMNS.length; j++) {
            final int k = TUNNEL_COLUMNS[j];
            final char rule = row.charAt(j);
            if ((options & bit(k)) == 0) {
                if (rule == '+') {
                    throw CliFailure.fail("You need to supply the '" + OPTION_NAMES[k] + "' option for the '"
                            + type + "' tunnel type");
                }
                continue;
            }
            if (rule == 'x') {
                throw CliFailure.fail("Illegal '" + OPTION_NAMES[k] + "' option with the '" + type
                        + "' tunnel type");
            }
            if (rule == '1') {
                if (exclusive >= 0) {
                    throw CliFailure.fail("The option '" + OPTION_NAMES[k] + "' conflicts with the '"
                            + OPTION_NAMES[exclusive] + "' option in the '" + type + "' tunnel type");
                }
                exclusive = k;
            }
        }
    }
}
