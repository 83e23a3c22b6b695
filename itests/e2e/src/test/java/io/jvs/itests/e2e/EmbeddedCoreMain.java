package io.jvs.itests.e2e;

import io.jvs.api.DestinationConfig;
import io.jvs.api.DestinationInfo;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceInfo;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.VirtualServerTable;
import java.net.InetAddress;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Run by {@link PlainModulePathTest} in a child JVM: jvs-api and jvs-core on the module path, this class on the
 * class path. Finds the table with {@link ServiceLoader} only (no OSGi), applies a service with two realservers
 * and prints what the table then holds. Exit 3 when the wiring is not what a module path gives.
 */
public final class EmbeddedCoreMain {
    private EmbeddedCoreMain() {
    }

    public static void main(final String[] args) throws Exception {
        final List<ServiceLoader.Provider<VirtualServerTable>> providers =
                ServiceLoader.load(VirtualServerTable.class).stream().toList();
        if (providers.size() != 1) {
            System.err.println("expected exactly one VirtualServerTable provider, found " + providers.size());
            System.exit(3);
        }
        final Module module = providers.get(0).type().getModule();
        if (!module.isNamed() || ModuleLayer.boot().findModule("io.jvs.core").orElse(null) != module) {
            System.err.println("provider " + providers.get(0).type().getName() + " is in " + module
                    + ", not in the boot layer's named module io.jvs.core");
            System.exit(3);
        }
        if (EmbeddedCoreMain.class.getModule().isNamed()) {
            System.err.println("this main should be on the class path");
            System.exit(3);
        }
        final VirtualServerTable table = providers.get(0).get();

        final ServiceKey key = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.1.1.1"), 80);
        final long generation = table.apply(List.of(
                new TableCommand.AddService(new ServiceConfig(key, "rr", false, 0, ServiceConfig.hostMask(key), false, 0)),
                new TableCommand.AddDestination(key, DestinationConfig.of(
                        new Endpoint(InetAddress.getByName("192.168.0.1"), 80), ForwardingMethod.MASQ, 2)),
                new TableCommand.AddDestination(key, DestinationConfig.of(
                        new Endpoint(InetAddress.getByName("192.168.0.2"), 8080), ForwardingMethod.MASQ, 1))));

        System.out.println("provider " + providers.get(0).type().getName() + " in module " + module.getName());
        System.out.println("api in module " + VirtualServerTable.class.getModule().getName());
        System.out.println("generation " + generation);
        for (final ServiceInfo s : table.services()) {
            System.out.println(s.config().key() + " " + s.config().scheduler());
            for (final DestinationInfo d : s.destinations()) {
                System.out.println("  -> " + d.config().endpoint() + " " + d.config().method().label() + " "
                        + d.config().weight());
            }
        }
    }
}
