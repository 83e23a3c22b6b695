package io.jvs.admin;

import io.jvs.admin.cli.DataplaneListing;
import io.jvs.admin.cli.Ipvsadm;
import io.jvs.admin.cli.RestoreException;
import io.jvs.admin.control.ControlServer;
import io.jvs.admin.state.CorruptStateException;
import io.jvs.admin.state.PersistentTable;
import io.jvs.admin.state.StateBody;
import io.jvs.admin.state.TableRecovery;
import io.jvs.admin.state.TableStore;
import io.jvs.api.DataplaneStatus;
import io.jvs.api.VirtualServerTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administration component of the appliance: restores the saved table at boot, serves the control
 * socket, and runs ipvsadm commands for every transport. The state directory and socket path come from
 * the framework properties {@code jvs.state} and {@code jvs.socket} (set by the launcher from
 * {@code JVS_STATE} and {@code JVS_SOCKET}).
 */
@Component(service = AdminService.class, immediate = true)
public final class AdminComponent implements AdminService {
    private static final Logger LOG = LoggerFactory.getLogger(AdminComponent.class);
    static final String DEFAULT_STATE = "/var/lib/jvs";
    static final String DEFAULT_SOCKET = "/run/jvs/jvs.sock";
    /** First argument of the appliance's own commands ({@code jvsadm --jvs dataplane}). */
    static final String APPLIANCE = "--jvs";

    private final VirtualServerTable core;
    private final PersistentTable table;
    private final ControlServer server;
    /** The packet core, while one runs. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile DataplaneStatus dataplane;

    @Activate
    public AdminComponent(@Reference final VirtualServerTable core, final BundleContext context) throws IOException {
        this(core, Path.of(property(context, "jvs.state", DEFAULT_STATE)),
                Path.of(property(context, "jvs.socket", DEFAULT_SOCKET)));
    }

    /** Starts administration over a table without OSGi (tests, embedding). */
    public AdminComponent(final VirtualServerTable core, final Path stateDir, final Path socket) throws IOException {
        this.core = core;
        final TableStore store = new TableStore(stateDir);
        this.table = new PersistentTable(core, store, t -> StateBody.of(new Ipvsadm(t).saveState(), t));
        final TableRecovery.Outcome outcome = TableRecovery.recover(store, this::parse, core, table);
        LOG.info("Table state {} ({}), {} service(s)", store.current(), outcome, core.services().size());
        this.server = ControlServer.start(socket, this);
    }

    @Deactivate
    public void close() throws IOException {
        server.close();
    }

    @Override
    public int execute(final List<String> argv, final InputStream stdin, final PrintStream out,
                       final PrintStream err) {
        if (!argv.isEmpty() && argv.get(0).equals(APPLIANCE)) {
            return appliance(argv.subList(1, argv.size()), out, err);
        }
        return new Ipvsadm(table).run(argv, stdin, out, err);
    }

    /** The appliance's own commands, after {@code --jvs}: not ipvsadm's, so kept out of its parser. */
    private int appliance(final List<String> args, final PrintStream out, final PrintStream err) {
        if (args.equals(List.of("dataplane"))) {
            return DataplaneListing.print(dataplane, out, err);
        }
        err.println("Usage: jvsadm " + APPLIANCE + " dataplane    (the packet core's interfaces and counters)");
        return 2;
    }

    @Override
    public VirtualServerTable table() {
        return table;
    }

    private List<io.jvs.api.TableCommand> parse(final String body) throws CorruptStateException {
        try {
            return new Ipvsadm(core).parseRestore(new StringReader(body));
        } catch (final RestoreException e) {
            throw new CorruptStateException(e.getMessage());
        }
    }

    private static String property(final BundleContext context, final String key, final String fallback) {
        final String v = context.getProperty(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
