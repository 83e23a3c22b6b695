package io.jvs.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import io.jvs.admin.AdminService;
import io.jvs.api.VirtualServerTable;
import io.jvs.api.sched.Scheduler;
import io.jvs.core.svc.ServiceState;
import io.jvs.core.svc.ServiceTable;
import io.jvs.testkit.wire.TestFrames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
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
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Issue 4, custom scheduler: the example of CUSTOM-SCHEDULER.md, built with bnd when the test starts, is installed
 * in the running director, its name becomes acceptable to the table, and real traffic through the core's packet
 * path is scheduled by it (always the head of the list, where rr would rotate).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CustomSchedulerTest {
    /** Framework property: where the driver side wrote the example bundle. */
    private static final String JAR = "jvs.itest.exampleScheduler";
    private static final String VIP = "10.77.1.100";
    private static final String[] RS = {"10.77.2.11:8080", "10.77.2.12:8080", "10.77.2.13:8080"};
    private static final int CLIENT = TestFrames.ip("10.77.1.2");

    private int nextPort = 1024;

    @Configuration
    public Option[] config() throws Exception {
        final Path jar = ExampleBundle.build(Feature.tempDirectory("jvs-example-scheduler-"));
        return Feature.options(frameworkProperty(JAR).value(jar.toString()));
    }

    @Test
    public void exampleSchedulerInstalledAtRunTimeSchedulesRealTraffic() throws Exception {
        final ServiceTable table = (ServiceTable) Feature.await(VirtualServerTable.class);
        final AdminService admin = Feature.await(AdminService.class);
        final BundleContext ctx = Feature.context();

        // Before the bundle, the name is unknown.
        assertFalse(table.schedulers().contains("first"));
        final Jvsadm.Result unknown = Jvsadm.run(admin, "-A", "-t", VIP + ":80", "-s", "first");
        assertNotEquals(0, unknown.exit());
        assertEquals("Scheduler or persistence engine not found\n", unknown.err());

        final Bundle example = ctx.installBundle(Path.of(ctx.getProperty(JAR)).toUri().toString());
        example.start();
        assertTrue("\"first\" not offered by the table: " + table.schedulers(),
                Feature.within(Feature.WAIT_MS, () -> table.schedulers().contains("first")));
        final Collection<ServiceReference<Scheduler>> refs =
                ctx.getServiceReferences(Scheduler.class, "(" + Scheduler.PROPERTY + "=first)");
        assertEquals(1, refs.size());
        assertEquals(example, refs.iterator().next().getBundle());

        ipvsadm(admin, "-A", "-t", VIP + ":80", "-s", "first");
        for (final String rs : RS) {
            ipvsadm(admin, "-a", "-t", VIP + ":80", "-r", rs, "-m");
        }
        try (MemoryDataplane net = new MemoryDataplane(table, 1, 4096)) {
            final ServiceState state = net.state(80);
            assertFalse(state.isFallback());
            final int firstFlow = nextPort;
            assertEquals("all to .13, added last so first in the list", Collections.nCopies(12, 2), connect(net, 12));

            ipvsadm(admin, "-e", "-t", VIP + ":80", "-r", RS[2], "-m", "-w", "0");
            assertEquals("all to .12 once .13 is quiescent", Collections.nCopies(12, 1), connect(net, 12));
            assertEquals("an established connection stays on the quiescent .13", 2, MemoryDataplane.realserverOf(
                    net.send(0, MemoryDataplane.ack(CLIENT, firstFlow, 80)), CLIENT, firstFlow));
            assertEquals(0, state.fallbackDecisions());

            // Uninstalled: the service goes on, round robin over what is available, and the name is refused again.
            example.uninstall();
            assertTrue(Feature.within(Feature.WAIT_MS, state::isFallback));
            final List<Integer> fallback = connect(net, 10);
            assertEquals("fallback over .11 and .12: " + fallback, 5, Collections.frequency(fallback, 0));
            assertEquals("fallback over .11 and .12: " + fallback, 5, Collections.frequency(fallback, 1));
            assertEquals(10, state.fallbackDecisions());
            assertFalse(table.schedulers().contains("first"));
            assertNotEquals(0, Jvsadm.run(admin, "-A", "-t", VIP + ":81", "-s", "first").exit());
        }
    }

    /** The page's example is the tested one: its source and bnd file appear on the page verbatim. */
    @Test
    public void customSchedulerPageShowsTheTestedExampleVerbatim() throws Exception {
        final Path root = Feature.reactor();
        final String page = Files.readString(root.resolve("bundles/jvs-sched-classic/CUSTOM-SCHEDULER.md"),
                StandardCharsets.UTF_8);
        for (final String file : List.of(ExampleBundle.SOURCE, ExampleBundle.BND)) {
            final String text = Files.readString(root.resolve(file), StandardCharsets.UTF_8);
            assertTrue("CUSTOM-SCHEDULER.md does not show " + file + " verbatim", page.contains(text));
        }
    }

    private static void ipvsadm(final AdminService admin, final String... argv) {
        final Jvsadm.Result r = Jvsadm.run(admin, argv);
        assertEquals(String.join(" ", argv) + ": " + r.err(), 0, r.exit());
    }

    /** Opens {@code n} connections; the realserver index of each, -1 for a SYN that did not come out. */
    private List<Integer> connect(final MemoryDataplane net, final int n) {
        final List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int port = nextPort++;
            chosen.add(MemoryDataplane.realserverOf(net.send(0, MemoryDataplane.syn(CLIENT, port, 80)), CLIENT, port));
        }
        return chosen;
    }
}
