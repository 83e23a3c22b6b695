package io.jvs.admin.cli;

import io.jvs.api.Addresses;
import io.jvs.api.ServiceInfo;
import io.jvs.api.SyncDaemon;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.Timeouts;
import io.jvs.api.VirtualServerTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * ipvsadm over a {@link VirtualServerTable}: the same arguments, the same output bytes, the same messages and
 * exit statuses as ipvsadm 1.31, except that {@code -R} applies the whole restore text atomically.
 *
 * <pre>{@code
 * Ipvsadm ipvsadm = new Ipvsadm(table);
 * int status = ipvsadm.run(List.of("-A", "-t", "10.0.0.1:80", "-s", "rr"), System.in, System.out, System.err);
 * }</pre>
 */
public final class Ipvsadm {
    private final VirtualServerTable table;
    private final NameResolver names;
    private final CommandLine parser;

    /** ipvsadm on the system's name services. */
    public Ipvsadm(final VirtualServerTable table) {
        this(table, NameResolver.system());
    }

    public Ipvsadm(final VirtualServerTable table, final NameResolver names) {
        this.table = Objects.requireNonNull(table, "table");
        this.names = Objects.requireNonNull(names, "names");
        this.parser = new CommandLine(names);
    }

    /** One ipvsadm invocation (argv without the program name). Returns the process exit code. */
    public int run(final List<String> argv, final InputStream stdin, final PrintStream out, final PrintStream err) {
        try {
            if (argv.isEmpty()) {
                return print(out, listAll(Format.NONE));
            }
            final Invocation inv = parser.parse(argv);
            return switch (inv.command()) {
                case HELP -> print(out, UsageText.usage());
                case VERSION -> print(out, UsageText.version());
                case LIST -> print(out, list(inv));
                case SAVE -> print(out, listAll(inv.format() | Format.RULE));
                case RESTORE -> restore(stdin, err);
                default -> apply(inv.change(), err);
            };
        } catch (final CliFailure f) {
            err.print(f.text());
            err.flush();
            return f.exitCode();
        }
    }

    /** What {@code ipvsadm -S [-n]} prints for the current table (used by the state store too). */
    public String save(final boolean numeric) {
        return listAll(Format.RULE | (numeric ? Format.NUMERIC : Format.NONE));
    }

    /**
     * The table as restore lines that rebuild it exactly (the appliance's saved state): numeric, services in
     * the order they were added, real servers in an order that restores the kernel list order, thresholds
     * included. Unlike {@link #save}, not byte-compatible with ipvsadm.
     */
    public String saveState() {
        final StringBuilder b = new StringBuilder(table.services().size() * 160 + 16);
        final RuleWriter rules = new RuleWriter(names, true, true);
        for (final ServiceInfo s : table.services()) {
            rules.service(b, s);
        }
        return b.toString();
    }

    /**
     * Parses a restore text (what -R reads: lines optionally beginning with "ipvsadm", blank lines, # comments)
     * into commands without applying them.
     */
    public List<TableCommand> parseRestore(final Reader in) throws RestoreException {
        final List<TableCommand> commands = new ArrayList<>();
        parseRestore(in, commands);
        return commands;
    }

    private List<RestoreReader.Line> parseRestore(final Reader in, final List<TableCommand> commands)
            throws RestoreException {
        final List<RestoreReader.Line> lines;
        try {
            lines = RestoreReader.read(in);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        for (final RestoreReader.Line line : lines) {
            final Invocation inv;
            try {
                inv = parser.parse(line.words());
            } catch (final CliFailure f) {
                throw new RestoreException(line.number(), line.text(), f.getMessage(), f.exitCode());
            }
            if (inv.change() == null) {
                throw new RestoreException(line.number(), line.text(), "the '" + inv.command().text()
                        + "' command is not allowed in a restore file", CliFailure.EXIT_ARGUMENT);
            }
            commands.add(inv.change());
        }
        return lines;
    }

    private int restore(final InputStream stdin, final PrintStream err) {
        final List<TableCommand> commands = new ArrayList<>();
        final List<RestoreReader.Line> lines;
        try {
            lines = parseRestore(new InputStreamReader(stdin, StandardCharsets.UTF_8), commands);
        } catch (final RestoreException e) {
            return complain(err, e.getMessage(), e.exitCode());
        }
        if (commands.isEmpty()) {
            return 0;
        }
        try {
            table.apply(commands);
            return 0;
        } catch (final TableException e) {
            final int i = Math.max(0, Math.min(e.commandIndex(), lines.size() - 1));
            final RestoreReader.Line line = lines.get(i);
            return complain(err, "line " + line.number() + ": \"" + line.text() + "\": "
                    + Messages.of(commands.get(i), e), CliFailure.EXIT_MINUS_ONE);
        }
    }

    private int apply(final TableCommand change, final PrintStream err) {
        try {
            table.apply(change);
            return 0;
        } catch (final TableException e) {
            return complain(err, Messages.of(change, e), CliFailure.EXIT_MINUS_ONE);
        }
    }

    private String list(final Invocation inv) throws CliFailure {
        final StringBuilder b = new StringBuilder(256);
        if (inv.has(Legality.CONNECTION)) {
            ConnectionListing.list(b, table.connections(), names, inv.format());
        } else if (inv.has(Legality.SERVICE)) {
            final Optional<ServiceInfo> s = table.service(inv.service());
            if (s.isEmpty()) {
                throw CliFailure.of(Messages.NO_SUCH_SERVICE, CliFailure.EXIT_LIST);
            }
            final ServiceListing listing = new ServiceListing(names, inv.format());
            listing.title(b);
            listing.service(b, s.get());
        } else if (inv.has(Legality.TIMEOUT)) {
            final Timeouts t = table.timeouts();
            b.append("Timeout (tcp tcpfin udp): ").append(t.tcp()).append(' ').append(t.tcpFin()).append(' ')
                    .append(t.udp()).append('\n');
        } else if (inv.has(Legality.DAEMON)) {
            daemons(b);
        } else {
            return listAll(inv.format());
        }
        return b.toString();
    }

    private String listAll(final int format) {
        final List<ServiceInfo> services = table.services();
        final StringBuilder b = new StringBuilder(128 + services.size() * 160);
        final List<ServiceInfo> ordered = Format.has(format, Format.NOSORT)
                ? ServiceOrder.kernel(services) : ServiceOrder.sorted(services);
        if (Format.has(format, Format.RULE)) {
            final RuleWriter rules = new RuleWriter(names, Format.has(format, Format.NUMERIC));
            for (final ServiceInfo s : ordered) {
                rules.service(b, s);
            }
            return b.toString();
        }
        b.append("IP Virtual Server version ").append(Defaults.IPVS_VERSION).append(" (size=")
                .append(table.connectionTableSize()).append(")\n");
        final ServiceListing listing = new ServiceListing(names, format);
        listing.title(b);
        for (final ServiceInfo s : ordered) {
            listing.service(b, s);
        }
        return b.toString();
    }

    /** {@code --daemon}: master first, then backup; optional fields only when set. */
    private void daemons(final StringBuilder b) {
        final List<SyncDaemon> daemons = new ArrayList<>(table.daemons());
        daemons.sort(Comparator.comparing(SyncDaemon::state));
        for (final SyncDaemon d : daemons) {
            b.append(d.state().word()).append(" sync daemon (mcast=").append(d.mcastInterface())
                    .append(", syncid=").append(d.syncId());
            if (d.maxLength() != 0) {
                b.append(", maxlen=").append(d.maxLength());
            }
            if (d.group() != null) {
                b.append(", group=").append(Addresses.numeric(d.group()));
            }
            if (d.port() != 0) {
                b.append(", port=").append(d.port());
            }
            if (d.ttl() != 0) {
                b.append(", ttl=").append(d.ttl());
            }
            b.append(")\n");
        }
    }

    private static int print(final PrintStream out, final String text) {
        out.print(text);
        out.flush();
        return 0;
    }

    private static int complain(final PrintStream err, final String message, final int status) {
        err.print(message);
        err.print('\n');
        err.flush();
        return status;
    }
}
