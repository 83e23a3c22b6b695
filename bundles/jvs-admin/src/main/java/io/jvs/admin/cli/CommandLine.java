package io.jvs.admin.cli;

import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.SyncDaemon;
import io.jvs.api.Timeouts;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * ipvsadm's {@code parse_options}: the first option must be the command; the others are applied in order, each
 * checked as it comes, so the first bad one names the error as ipvsadm would.
 */
final class CommandLine {
    private final NameResolver names;

    CommandLine(final NameResolver names) {
        this.names = names;
    }

    Invocation parse(final List<String> argv) throws CliFailure {
        final Argv in = new Argv(argv);
        final Entry e = new Entry();
        final Argv.Hit first;
        try {
            first = in.next();
        } catch (final CliFailure bad) {
            throw CliFailure.tryHelp();
        }
        if (first == null) {
            throw CliFailure.tryHelp();
        }
        e.command = command(first);
        if (e.command == Command.STARTDAEMON) {
            e.daemonState = daemonState(first.value(), "illegal start-daemon parameter specified");
        } else if (e.command == Command.STOPDAEMON) {
            e.daemonState = daemonState(first.value(), "illegal start_daemon specified");
        }
        if (e.command == Command.HELP || e.command == Command.VERSION) {
            return new Invocation(e.command, 0, Format.NONE, null, null);
        }
        for (Argv.Hit h = in.next(); h != null; h = in.next()) {
            option(e, h);
        }
        final List<String> rest = in.leftovers();
        int used = 0;
        if (e.command == Command.TIMEOUT) {
            if (rest.size() < 3) {
                throw CliFailure.fail("--set option requires 3 timeout values");
            }
            e.timeouts = new Timeouts(timeout(rest.get(0), 0), timeout(rest.get(1), 0), timeout(rest.get(2), 0));
            used = 3;
        }
        if (rest.size() > used) {
            throw CliFailure.fail("unexpected argument " + rest.get(used));
        }
        if (e.schedFlagsText != null && !e.schedFlagsText.isEmpty()) {
            e.schedFlags = SchedulerFlags.parse(e.scheduler.isEmpty() ? Defaults.SCHEDULER : e.scheduler,
                    e.schedFlagsText);
        }
        return e.finish();
    }

    private static Command command(final Argv.Hit h) throws CliFailure {
        final Command c = switch (h.option()) {
            case ADD_SERVICE -> Command.ADD;
            case EDIT_SERVICE -> Command.EDIT;
            case DELETE_SERVICE -> Command.DEL;
            case ADD_SERVER -> Command.ADDDEST;
            case EDIT_SERVER -> Command.EDITDEST;
            case DELETE_SERVER -> Command.DELDEST;
            case CLEAR -> Command.FLUSH;
            case LIST, LIST_LOWER -> Command.LIST;
            case ZERO -> Command.ZERO;
            case SET -> Command.TIMEOUT;
            case RESTORE -> Command.RESTORE;
            case SAVE -> Command.SAVE;
            case START_DAEMON -> Command.STARTDAEMON;
            case STOP_DAEMON -> Command.STOPDAEMON;
            case HELP -> Command.HELP;
            case VERSION -> Command.VERSION;
            default -> null;
        };
        if (c == null) {
            throw CliFailure.tryHelp();
        }
        return c;
    }

    private static SyncDaemon.State daemonState(final String value, final String error) throws CliFailure {
        if (value.equals("master")) {
            return SyncDaemon.State.MASTER;
        }
        if (value.equals("backup")) {
            return SyncDaemon.State.BACKUP;
        }
        throw CliFailure.fail(error);
    }

    private void option(final Entry e, final Argv.Hit h) throws CliFailure {
        final String v = h.value();
        switch (h.option()) {
            case TCP_SERVICE -> service(e, Protocol.TCP, v);
            case UDP_SERVICE -> service(e, Protocol.UDP, v);
            case SCTP_SERVICE -> service(e, Protocol.SCTP, v);
            case FWMARK_SERVICE -> {
                e.set(Legality.SERVICE);
                e.af = Entry.AF_INET;
                e.protocol = Protocol.TCP;
                e.fwmark = fwmark(v);
            }
            case SCHEDULER -> {
                e.set(Legality.SCHEDULER);
                e.scheduler = truncate(v);
            }
            case PERSISTENT -> {
                e.set(Legality.PERSISTENT);
                e.persistent = true;
                e.timeout = v == null ? Defaults.PERSISTENT_TIMEOUT : timeout(v, 1);
            }
            case NETMASK -> netmask(e, v);
            case REAL_SERVER -> realServer(e, v);
            case IPIP -> forward(e, ForwardingMethod.TUNNEL);
            case GATEWAYING -> forward(e, ForwardingMethod.ROUTE);
            case MASQUERADING -> forward(e, ForwardingMethod.MASQ);
            case WEIGHT -> {
                e.set(Legality.WEIGHT);
                e.weight = (int) number(v, 0, 65535, "illegal weight specified");
            }
            case U_THRESHOLD -> {
                e.set(Legality.UTHRESHOLD);
                e.upperThreshold = (int) number(v, 0, Integer.MAX_VALUE, "illegal u_threshold specified");
            }
            case L_THRESHOLD -> {
                e.set(Legality.LTHRESHOLD);
                e.lowerThreshold = (int) number(v, 0, Integer.MAX_VALUE, "illegal l_threshold specified");
            }
            case CONNECTION -> e.set(Legality.CONNECTION);
            case NUMERIC -> format(e, Legality.NUMERIC, Format.NUMERIC);
            case MCAST_INTERFACE -> {
                e.set(Legality.MCAST);
                e.mcastInterface = truncate(v);
            }
            case SYNCID -> {
                e.set(Legality.SYNCID);
                e.syncId = (int) number(v, 0, 255, "illegal syncid specified");
            }
            case TIMEOUT -> e.set(Legality.TIMEOUT);
            case DAEMON -> e.set(Legality.DAEMON);
            case STATS -> format(e, Legality.STATS, Format.STATS);
            case RATE -> format(e, Legality.RATE, Format.RATE);
            case THRESHOLDS -> format(e, Legality.THRESHOLDS, Format.THRESHOLDS);
            case PERSISTENT_CONN -> format(e, Legality.PERSISTENTCONN, Format.PERSISTENTCONN);
            case NOSORT -> format(e, Legality.NOSORT, Format.NOSORT);
            case SORT -> {
                // Sorting is the default; accepted for compatibility.
            }
            case EXACT -> format(e, Legality.EXACT, Format.EXACT);
            case IPV6 -> {
                if (e.fwmark == 0) {
                    throw CliFailure.fail("-6 used before -f\n");
                }
                e.af = Entry.AF_INET6;
                e.netmask = ServiceConfig.HOST_PREFIX_V6;
            }
            case OPS -> {
                e.set(Legality.ONEPACKET);
                e.onePacket = true;
            }
            case PE -> {
                e.set(Legality.PERSISTENCE_ENGINE);
                e.persistenceEngine = truncate(v);
            }
            case SCHED_FLAGS -> {
                e.set(Legality.SCHED_FLAGS);
                e.schedFlagsText = v;
            }
            case MCAST_GROUP -> mcastGroup(e, v);
            case MCAST_PORT -> {
                e.set(Legality.MCAST_PORT);
                e.mcastPort = (int) number(v, 1, 65535, "illegal mcast-port specified");
            }
            case MCAST_TTL -> {
                e.set(Legality.MCAST_TTL);
                e.mcastTtl = (int) number(v, 1, 255, "illegal mcast-ttl specified");
            }
            case SYNC_MAXLEN -> {
                e.set(Legality.SYNC_MAXLEN);
                e.syncMaxLength = (int) number(v, 1, 65535 - 20 - 8, "illegal sync-maxlen specified");
            }
            case TUN_INFO -> format(e, Legality.TUN_INFO, Format.TUN_INFO);
            case TUN_TYPE -> {
                e.set(Legality.TUN_TYPE);
                e.tunnelType = tunnelType(v);
            }
            case TUN_PORT -> {
                e.set(Legality.TUN_PORT);
                e.tunnelPort = (int) number(v, 1, 65535, "illegal tunnel port specified");
            }
            case TUN_NOCSUM -> e.set(Legality.TUN_NOCSUM);
            case TUN_CSUM -> {
                e.set(Legality.TUN_CSUM);
                e.tunnelFlags |= 1;
            }
            case TUN_REMCSUM -> {
                e.set(Legality.TUN_REMCSUM);
                e.tunnelFlags |= 2;
            }
            default -> throw CliFailure.fail("invalid option `" + h.word() + "'");
        }
    }

    private void service(final Entry e, final Protocol protocol, final String text) throws CliFailure {
        e.set(Legality.SERVICE);
        e.protocol = protocol;
        final ServiceAddress a = ServiceAddress.parse(text, protocol, names);
        if (!a.valid()) {
            throw CliFailure.fail("illegal virtual server address[:port] specified");
        }
        e.address = a.address();
        e.af = a.ipv6() ? Entry.AF_INET6 : Entry.AF_INET;
        if (a.ipv6()) {
            e.netmask = ServiceConfig.HOST_PREFIX_V6;
        }
        if (a.hasPort()) {
            e.port = a.port();
        }
    }

    private void realServer(final Entry e, final String text) throws CliFailure {
        e.set(Legality.SERVER);
        final ServiceAddress a = ServiceAddress.parse(text, e.protocol, names);
        if (!a.valid()) {
            throw CliFailure.fail("illegal real server address[:port] specified");
        }
        e.destAddress = a.address();
        e.destAf = a.ipv6() ? Entry.AF_INET6 : Entry.AF_INET;
        // Without a port the real server takes the service's port as known at this point of the line.
        e.destPort = a.hasPort() ? a.port() : e.port;
    }

    private void netmask(final Entry e, final String text) throws CliFailure {
        e.set(Legality.NETMASK);
        if (e.af != Entry.AF_INET6) {
            InetAddress mask = InetText.aton(text);
            if (mask == null) {
                final Optional<InetAddress> named = names.addressOf(text);
                if (named.isEmpty() || !(named.get() instanceof Inet4Address)) {
                    throw CliFailure.fail("illegal virtual server persistent mask specified");
                }
                mask = named.get();
            }
            e.netmask = InetText.v4Value(mask);
        } else {
            final long prefix = InetText.atoi(text);
            if (prefix < 1 || prefix > 128) {
                throw CliFailure.fail("illegal ipv6 netmask specified");
            }
            e.netmask = (int) prefix;
        }
    }

    private static void forward(final Entry e, final ForwardingMethod method) throws CliFailure {
        e.set(Legality.FORWARD);
        e.method = method;
    }

    private static void format(final Entry e, final int column, final int flag) throws CliFailure {
        e.set(column);
        e.format |= flag;
    }

    private static void mcastGroup(final Entry e, final String text) throws CliFailure {
        e.set(Legality.MCAST_GROUP);
        if (text.indexOf(':') >= 0) {
            final InetAddress g = InetText.pton6(text);
            if (g == null || (g.getAddress()[0] & 0xff) != 0xff) {
                throw CliFailure.fail("invalid IPv6 mcast-group `" + text + "'");
            }
            e.mcastGroup = g;
        } else {
            final InetAddress g = InetText.pton4(text);
            if (g == null || (g.getAddress()[0] & 0xf0) != 0xe0) {
                throw CliFailure.fail("invalid IPv4 mcast-group `" + text + "'");
            }
            e.mcastGroup = g;
        }
    }

    private static long number(final String text, final long min, final long max, final String error)
            throws CliFailure {
        final long n = InetText.number(text, min, max);
        if (n < 0) {
            throw CliFailure.fail(error);
        }
        return n;
    }

    /** ipvsadm's {@code parse_timeout}. */
    private static int timeout(final String text, final int min) throws CliFailure {
        final long n = InetText.number(text, min, Defaults.MAX_TIMEOUT);
        if (n < 0) {
            throw CliFailure.fail("invalid timeout value `" + text + "' specified");
        }
        return (int) n;
    }

    private static long fwmark(final String text) throws CliFailure {
        final long n = InetText.number(text, 1, 0xffffffffL);
        if (n < 0) {
            throw CliFailure.fail("invalid fwmark value `" + text + "' specified");
        }
        return n;
    }

    private static int tunnelType(final String text) throws CliFailure {
        for (int i = 0; i < Legality.TUNNEL_NAMES.length; i++) {
            if (Legality.TUNNEL_NAMES[i].equals(text)) {
                return i;
            }
        }
        throw CliFailure.fail("illegal tunnel type specified");
    }

    private static String truncate(final String s) {
        return s.length() > Defaults.NAME_MAX ? s.substring(0, Defaults.NAME_MAX) : s;
    }
}
