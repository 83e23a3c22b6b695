package io.jvs.core.dataplane;

import io.jvs.api.DataplaneStatus;
import io.jvs.api.VirtualServerTable;
import io.jvs.core.port.AfPacketPort;
import io.jvs.core.port.Port;
import io.jvs.core.route.Link;
import io.jvs.core.route.RouteMonitor;
import io.jvs.core.route.RouteTable;
import io.jvs.core.svc.ServiceTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the packet core in the appliance when the framework property {@code jvs.dataplane} names interfaces
 * ({@code bin/jvs start --dataplane ext0,int0}). Addresses and routes of those interfaces come from the
 * kernel over rtnetlink and are followed live. Settings: {@code jvs.dataplane.queues},
 * {@code .connections}, {@code .fanout}, {@code .busy_poll_us}, {@code .busy_poll_max_pps},
 * {@code .nap_us}, and the IPVS switches
 * {@code .secure_tcp}, {@code .sloppy_tcp}, {@code .expire_nodest_conn}, {@code .expire_quiescent_template},
 * {@code .conn_reuse_mode}
 * (etc/jvs.properties).
 *
 * <p>If the interfaces cannot be opened (no such interface, no CAP_NET_RAW) the error is logged and the
 * appliance keeps serving its control plane without a data plane.
 */
@Component(immediate = true)
public final class DataplaneComponent {
    private static final Logger LOG = LoggerFactory.getLogger(DataplaneComponent.class);
    static final String PROPERTY = "jvs.dataplane";

    @Reference
    private VirtualServerTable table;
    private RouteMonitor monitor;
    private Dataplane dataplane;
    private ServiceRegistration<DataplaneStatus> status;

    @Activate
    void activate(final BundleContext context) {
        final String names = context.getProperty(PROPERTY);
        if (names == null || names.isBlank()) {
            LOG.info("No data plane: {} is not set (bin/jvs start --dataplane IF[,IF...])", PROPERTY);
            return;
        }
        if (!(table instanceof ServiceTable)) {
            LOG.error("The data plane needs the core's own table; got {}", table.getClass().getName());
            return;
        }
        try {
            start((ServiceTable) table, interfaces(names), settings(context));
            status = context.registerService(DataplaneStatus.class, dataplane, null);
        } catch (final RuntimeException | LinkageError e) {
            LOG.error("Data plane on {} not started: {}", names, e.toString(), e);
            deactivate();
        }
    }

    private void start(final ServiceTable serviceTable, final Set<String> names, final DataplaneSettings settings) {
        final Dataplane[] holder = new Dataplane[1];
        monitor = new RouteMonitor(routes -> {
            final Dataplane dp = holder[0];
            if (dp != null) {
                dp.routes(routes.restrictedTo(names));
            }
        });
        final RouteTable routes = monitor.current();
        final List<Port> ports = new ArrayList<>();
        try {
            for (final String name : names) {
                final Link link = routes.link(name);
                if (link == null) {
                    throw new IllegalArgumentException("no interface " + name);
                }
                ports.add(new AfPacketPort(name, link.mac(), settings.queues(), settings.ringFrames(),
                        settings.fanoutCpu()));
            }
        } catch (final RuntimeException e) {
            ports.forEach(Port::close);
            throw e;
        }
        dataplane = new Dataplane(serviceTable, ports, settings);
        holder[0] = dataplane;
        dataplane.routes(monitor.current().restrictedTo(names));
        dataplane.start();
        LOG.info("Data plane running on {} ({} worker(s), {} connections max)", names, settings.queues(),
                settings.connections());
    }

    static Set<String> interfaces(final String names) {
        final Set<String> out = new LinkedHashSet<>();
        for (final String n : names.split(",")) {
            if (!n.isBlank()) {
                out.add(n.strip());
            }
        }
        return out;
    }

    static DataplaneSettings settings(final BundleContext context) {
        final DataplaneSettings d = DataplaneSettings.DEFAULTS;
        return new DataplaneSettings(
                integer(context, "queues", d.queues()),
                integer(context, "connections", d.connections()),
                integer(context, "ring_frames", d.ringFrames()),
                fanout(context, d.fanoutCpu()),
                integer(context, "busy_poll_us", d.busyPollMicros()),
                integer(context, "busy_poll_max_pps", d.busyPollMaxPps()),
                integer(context, "nap_us", d.napMicros()),
                bool(context, "verify_checksums", d.verifyChecksums()),
                bool(context, "secure_tcp", d.secureTcp()),
                bool(context, "sloppy_tcp", d.sloppyTcp()),
                bool(context, "expire_nodest_conn", d.expireNodestConn()),
                bool(context, "expire_quiescent_template", d.expireQuiescentTemplate()),
                integer(context, "conn_reuse_mode", d.connReuseMode()),
                bool(context, "guard_kernel", d.guardKernel()));
    }

    private static int integer(final BundleContext context, final String name, final int fallback) {
        final String v = context.getProperty(PROPERTY + "." + name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + "." + name + " is not a number: " + v, e);
        }
    }

    /** {@code jvs.dataplane.fanout}: {@code hash} (by flow) or {@code cpu} (by receiving CPU, workers pinned). */
    private static boolean fanout(final BundleContext context, final boolean fallback) {
        final String v = context.getProperty(PROPERTY + ".fanout");
        if (v == null) {
            return fallback;
        }
        return switch (v.strip()) {
            case "cpu" -> true;
            case "hash" -> false;
            default -> throw new IllegalArgumentException(PROPERTY + ".fanout must be hash or cpu, not " + v);
        };
    }

    private static boolean bool(final BundleContext context, final String name, final boolean fallback) {
        final String v = context.getProperty(PROPERTY + "." + name);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip()) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(PROPERTY + "." + name + " is not a boolean: " + v);
        };
    }

    @Deactivate
    void deactivate() {
        if (status != null) {
            status.unregister();
            status = null;
        }
        if (dataplane != null) {
            dataplane.close();
            dataplane = null;
        }
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
    }
}
