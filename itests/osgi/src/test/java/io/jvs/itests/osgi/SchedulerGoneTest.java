package io.jvs.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.TableCommand;
import io.jvs.api.VirtualServerTable;
import io.jvs.api.sched.Scheduler;
import io.jvs.core.svc.ServiceState;
import io.jvs.core.svc.ServiceTable;
import io.jvs.testkit.wire.TestFrames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * Issue 4, scheduler gone for good: the bundle of a service's scheduler is uninstalled. The documented behaviour
 * (CUSTOM-SCHEDULER.md): the service is never silently re-pointed; it keeps accepting connections on the round
 * robin fallback, the core logs that once and counts every fallback decision, and a bundle that registers the
 * name again takes over.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SchedulerGoneTest {
    private static final int VPORT = 80;
    private static final int CLIENT = TestFrames.ip("10.77.1.2");

    private int nextPort = 1024;

    @Configuration
    public Option[] config() throws IOException {
        return Feature.options();
    }

    @Test
    public void uninstalledSchedulerLeavesItsServiceOnTheFallbackUntilTheNameIsRegisteredAgain() throws Exception {
        final ServiceTable table = (ServiceTable) Feature.await(VirtualServerTable.class);
        final Bundle classic = Feature.ours("jvs-sched-classic");
        table.apply(MemoryDataplane.natService(VPORT, "rr"));
        try (LogCapture log = LogCapture.of(Feature.bundleNamed("io.jvs.core"), ServiceState.class.getName());
             MemoryDataplane net = new MemoryDataplane(table, 1, 4096)) {
            final ServiceState state = net.state(VPORT);
            assertEquals("rr walks the list newest first", List.of(2, 1, 0), connect(net, 3));

            classic.uninstall();
            assertTrue("on the fallback once rr is gone", Feature.within(Feature.WAIT_MS, state::isFallback));
            assertTrue("rr still registered", Feature.context().getServiceReferences(Scheduler.class,
                    "(" + Scheduler.PROPERTY + "=rr)").isEmpty());
            final List<Integer> fallback = connect(net, 60);
            assertFalse("a SYN did not come out: " + fallback, fallback.contains(-1));
            for (int rs = 0; rs < 3; rs++) {
                assertEquals("round robin: realserver " + rs + " of " + fallback, 20, Collections.frequency(fallback, rs));
            }
            assertEquals(60, state.fallbackDecisions());

            // An edit re-binds the service: still the fallback, not logged again.
            table.apply(List.of(new TableCommand.EditDestination(MemoryDataplane.key(VPORT), DestinationConfig.of(
                    new Endpoint(MemoryDataplane.inet(MemoryDataplane.RS[0]), MemoryDataplane.RS_PORT),
                    ForwardingMethod.MASQ, 2))));
            assertFalse(connect(net, 30).contains(-1));
            assertEquals(90, state.fallbackDecisions());
            assertTrue(state.isFallback());
            assertEquals("fallback warnings", 1, log.count("WARN", "is not registered"));

            // Installing a bundle that registers the name takes over again.
            final Bundle again = Feature.context().installBundle(classic.getLocation());
            again.start();
            assertTrue("rr did not take over", Feature.within(Feature.WAIT_MS, () -> !state.isFallback()));
            assertEquals("a fresh rr", List.of(2, 1, 0), connect(net, 3));
            assertEquals("fallback decisions once rr is back", 90, state.fallbackDecisions());
            assertEquals("take-over notes", 1, log.count("INFO", "is registered again"));
            assertEquals("fallback warnings", 1, log.count("WARN", "is not registered"));
        }
    }

    /** Opens {@code n} connections; the realserver index of each, -1 for a SYN that did not come out. */
    private List<Integer> connect(final MemoryDataplane net, final int n) {
        final List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int port = nextPort++;
            chosen.add(MemoryDataplane.realserverOf(net.send(0, MemoryDataplane.syn(CLIENT, port, VPORT)), CLIENT, port));
        }
        return chosen;
    }
}
