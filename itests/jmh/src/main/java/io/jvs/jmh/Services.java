package io.jvs.jmh;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.TableException;
import io.jvs.api.TunnelChecksum;
import io.jvs.api.TunnelType;
import io.jvs.core.svc.Destination;
import io.jvs.core.svc.DestinationState;
import io.jvs.core.svc.Service;
import io.jvs.core.svc.ServiceTable;
import io.jvs.sched.classic.RoundRobin;
import io.jvs.testkit.wire.NatLab;
import io.jvs.testkit.wire.TestFrames;
import java.util.ArrayList;
import java.util.List;

/** Realistic connection owners: the live states of the realservers of a real NAT service. Setup only. */
final class Services {
    static final int VIP = NatLab.VIP;

    private Services() {
    }

    /**
     * Builds {@code TCP 10.77.1.100:80 rr} with realservers 10.77.2.11, .12, ... (masquerading, port 8080)
     * through {@link ServiceTable#apply}, and returns their {@link DestinationState}s in the table's order.
     */
    static DestinationState[] realserverStates(final int count) throws TableException {
        final ServiceTable table = new ServiceTable();
        table.addScheduler(new RoundRobin());
        final ServiceKey key = ServiceKey.of(Protocol.TCP, TestFrames.inet(VIP), 80);
        final List<TableCommand> commands = new ArrayList<>();
        commands.add(new TableCommand.AddService(
                new ServiceConfig(key, "rr", false, 0, ServiceConfig.HOST_MASK_V4, false, 0)));
        for (int i = 0; i < count; i++) {
            commands.add(new TableCommand.AddDestination(key, new DestinationConfig(
                    new Endpoint(TestFrames.inet(NatLab.RS[0] + i), 8080), ForwardingMethod.MASQ, 1, 0, 0,
                    TunnelType.IPIP, 0, TunnelChecksum.NOCSUM)));
        }
        table.apply(commands);
        table.close();   // stops the rate estimator's thread; the states stay usable
        final Service service = table.snapshot().services().values().iterator().next();
        final List<Destination> dests = service.destinations();
        final DestinationState[] states = new DestinationState[dests.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = dests.get(i).state();
        }
        return states;
    }
}
