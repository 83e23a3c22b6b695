package io.jvs.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.jvs.admin.AdminService;
import io.jvs.api.DestinationConfig;
import io.jvs.api.Endpoint;
import io.jvs.api.ForwardingMethod;
import io.jvs.api.Protocol;
import io.jvs.api.ServiceConfig;
import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;
import io.jvs.api.VirtualServerTable;
import io.jvs.api.sched.Scheduler;
import io.jvs.itests.osgi.FeatureFile.FeatureBundle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Boots {@code features/jvs-director.json} in Felix (Pax Exam native container) and drives the virtual
 * server table through the services the feature registers. The feature is the only bundle list: every
 * bundle it names is provisioned at its start-order, and nothing of ours is added beside it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DirectorFeatureTest {
    // ---------------------------------------------------------------- driver side: the framework to boot

    @Configuration
    public Option[] config() throws IOException {
        return Feature.options();
    }

    // ---------------------------------------------------------------- the tests (inside the framework)

    @Test
    public void everyFeatureBundleIsActiveAtItsStartOrder() throws IOException {
        final BundleContext ctx = Feature.context();
        final List<String> problems = new ArrayList<>();
        for (final FeatureBundle b : FeatureFile.bundles(Feature.path())) {
            final Bundle bundle = ctx.getBundle(Feature.location(b));
            if (bundle == null) {
                problems.add(b.id() + ": not installed");
                continue;
            }
            final boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            final int want = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != want) {
                problems.add(b.id() + " (" + bundle.getSymbolicName() + "): " + Feature.state(bundle.getState())
                        + ", expected " + Feature.state(want));
            }
            final int level = bundle.adapt(BundleStartLevel.class).getStartLevel();
            if (!fragment && level != b.startOrder()) {
                problems.add(b.id() + ": start level " + level + ", feature says " + b.startOrder());
            }
        }
        // Nothing in the framework may be left unresolved, Pax Exam's bundles included.
        for (final Bundle bundle : ctx.getBundles()) {
            if (bundle.getState() == Bundle.INSTALLED) {
                problems.add(bundle.getSymbolicName() + " " + bundle.getVersion() + ": INSTALLED (unresolved)");
            }
        }
        assertTrue("Bundles not as the feature says:\n  " + String.join("\n  ", problems) + "\n" + Feature.bundleStates(),
                problems.isEmpty());
    }

    @Test
    public void slf4jOfOurBundlesLogsThroughLogback() throws Exception {
        final Bundle admin = Feature.bundleNamed("io.jvs.admin");
        // The org.slf4j the admin bundle is wired to must be slf4j-api of the feature, not Pax Exam's pax-logging-api.
        final BundleWiring wiring = admin.adapt(BundleWiring.class);
        String provider = null;
        for (final BundleWire w : wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE)) {
            if ("org.slf4j".equals(w.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE))) {
                provider = w.getProvider().getSymbolicName();
            }
        }
        assertEquals("provider of org.slf4j to io.jvs.admin", "slf4j.api", provider);
        final Class<?> loggerFactory = admin.loadClass("org.slf4j.LoggerFactory");
        final Object factory = loggerFactory.getMethod("getILoggerFactory").invoke(null);
        assertNotEquals("SLF4J bound to NOP: logback was not registered through SPI Fly before first use",
                "org.slf4j.helpers.NOPLoggerFactory", factory.getClass().getName());
        assertEquals("ch.qos.logback.classic.LoggerContext", factory.getClass().getName());
    }

    @Test
    public void gogoCommandJvsadmIsRegisteredAndRuns() throws Exception {
        final BundleContext ctx = Feature.context();
        final ServiceReference<?>[] refs = ctx.getAllServiceReferences(null,
                "(&(osgi.command.scope=jvs)(osgi.command.function=jvsadm))");
        assertNotNull("no Gogo command service jvs:jvsadm registered\n" + Feature.bundleStates(), refs);
        assertEquals(1, refs.length);
        final Set<String> functions = new TreeSet<>(List.of((String[]) refs[0].getProperty("osgi.command.function")));
        assertEquals(Set.of("ipvsadm", "jvsadm"), functions);
        assertEquals("io.jvs.admin", refs[0].getBundle().getSymbolicName());

        // And Gogo itself can run it: the shell's command processor finds jvs:jvsadm.
        final CommandProcessor processor = Feature.await(CommandProcessor.class);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final Object result;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
             CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), o, e)) {
            result = session.execute("jvs:jvsadm --version");
        }
        assertEquals("exit code of jvs:jvsadm --version; stderr: " + err.toString(StandardCharsets.UTF_8), 0,
                ((Number) result).intValue());
        assertTrue("jvs:jvsadm --version printed: " + out.toString(StandardCharsets.UTF_8),
                out.toString(StandardCharsets.UTF_8).contains("ipvsadm"));
    }

    @Test
    public void tableDrivenThroughTheServices() throws Exception {
        final VirtualServerTable core = Feature.await(VirtualServerTable.class);
        final AdminService admin = Feature.await(AdminService.class);
        assertEquals("0 clears", 0, Jvsadm.run(admin, "-C").exit());

        // The API way: TableCommands applied atomically to the table.
        final ServiceKey https = ServiceKey.of(Protocol.TCP, InetAddress.getByName("10.0.0.2"), 443);
        admin.table().apply(List.of(
                new TableCommand.AddService(new ServiceConfig(https, "wlc", false, 0, ServiceConfig.hostMask(https),
                        false, 0)),
                new TableCommand.AddDestination(https, DestinationConfig.of(
                        new Endpoint(InetAddress.getByName("192.168.1.11"), 443), ForwardingMethod.ROUTE, 3)),
                new TableCommand.AddDestination(https, DestinationConfig.of(
                        new Endpoint(InetAddress.getByName("192.168.1.12"), 443), ForwardingMethod.MASQ, 1))));

        // The ipvsadm way.
        assertEquals(0, Jvsadm.run(admin, "-A", "-t", "10.0.0.1:80", "-s", "rr").exit());
        assertEquals(0, Jvsadm.run(admin, "-a", "-t", "10.0.0.1:80", "-r", "192.168.1.1:8080", "-m", "-w", "2").exit());
        assertEquals(0, Jvsadm.run(admin, "-a", "-t", "10.0.0.1:80", "-r", "192.168.1.2:8080", "-m").exit());

        final Jvsadm.Result list = Jvsadm.run(admin, "-Ln");
        assertEquals(list.err(), 0, list.exit());
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "  -> 192.168.1.1:8080             Masq    2      0          0         \n"
                + "  -> 192.168.1.2:8080             Masq    1      0          0         \n"
                + "TCP  10.0.0.2:443 wlc\n"
                + "  -> 192.168.1.11:443             Route   3      0          0         \n"
                + "  -> 192.168.1.12:443             Masq    1      0          0         \n", list.out());
        assertEquals("", list.err());

        final Jvsadm.Result save = Jvsadm.run(admin, "-Sn");
        assertEquals("-A -t 10.0.0.1:80 -s rr\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.1:8080 -m -w 2\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.2:8080 -m -w 1\n"
                + "-A -t 10.0.0.2:443 -s wlc\n"
                + "-a -t 10.0.0.2:443 -r 192.168.1.11:443 -g -w 3\n"
                + "-a -t 10.0.0.2:443 -r 192.168.1.12:443 -m -w 1\n", save.out());

        // The registered VirtualServerTable is the same table the admin service lists.
        assertEquals(2, core.services().size());
        assertEquals(core.generation(), admin.table().generation());

        // Errors come back as ipvsadm prints them; nothing changes.
        final long generation = core.generation();
        final Jvsadm.Result missing = Jvsadm.run(admin, "-D", "-t", "10.0.0.1:8080");
        assertNotEquals(0, missing.exit());
        assertEquals("No such service\n", missing.err());
        assertEquals(generation, core.generation());

        // Every change is saved in jvs.state.
        final Path state = Path.of(Feature.context().getProperty("jvs.state"));
        final String saved = Files.readString(state.resolve("table.conf"), StandardCharsets.UTF_8);
        assertTrue("table.conf:\n" + saved, saved.contains("-A -t 10.0.0.1:80 -s rr\n"));
        assertTrue("table.conf:\n" + saved, saved.contains("-a -t 10.0.0.2:443 -r 192.168.1.11:443 -g -w 3\n"));

        // The control socket of jvs.socket is served.
        assertTrue("control socket " + Feature.context().getProperty("jvs.socket"),
                Files.exists(Path.of(Feature.context().getProperty("jvs.socket"))));
    }

    /**
     * The Scheduler services are exactly those of the feature's jvs-sched-* bundles, each named by its
     * {@code jvs.scheduler} property and accepted by the table. (A feature without scheduler bundles must
     * have no Scheduler service at all: checked too, so this test is never a silent pass.)
     */
    @Test
    public void schedulerServicesAreThoseOfTheFeaturesSchedulerBundles() throws Exception {
        final VirtualServerTable core = Feature.await(VirtualServerTable.class);
        final BundleContext ctx = Feature.context();
        final Set<Long> schedBundles = new TreeSet<>();
        for (final FeatureBundle b : FeatureFile.bundles(Feature.path())) {
            if (Feature.isOurs(b) && b.artifactId().startsWith("jvs-sched-")) {
                final Bundle bundle = ctx.getBundle(Feature.location(b));
                assertNotNull(b.id() + " not installed", bundle);
                schedBundles.add(bundle.getBundleId());
                final long deadline = System.nanoTime() + Feature.WAIT_MS * 1_000_000;
                List<String> names = schedulerNames(bundle);
                while (names.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    names = schedulerNames(bundle);
                }
                assertFalse(b.id() + " registered no Scheduler service with property " + Scheduler.PROPERTY,
                        names.isEmpty());
                assertTrue(b.id() + " schedulers " + names + " not all offered by the table: " + core.schedulers(),
                        core.schedulers().containsAll(names));
            }
        }
        final ServiceReference<?>[] all = ctx.getAllServiceReferences(Scheduler.class.getName(), null);
        final Set<Long> registering = new TreeSet<>();
        if (all != null) {
            for (final ServiceReference<?> r : all) {
                registering.add(r.getBundle().getBundleId());
            }
        }
        assertEquals("bundles registering Scheduler services vs the feature's jvs-sched-* bundles", schedBundles,
                registering);
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> schedulerNames(final Bundle bundle) {
        final List<String> names = new ArrayList<>();
        final ServiceReference<?>[] regs = bundle.getRegisteredServices();
        if (regs != null) {
            for (final ServiceReference<?> r : regs) {
                final String[] classes = (String[]) r.getProperty(Constants.OBJECTCLASS);
                if (List.of(classes).contains(Scheduler.class.getName())) {
                    final Object name = r.getProperty(Scheduler.PROPERTY);
                    assertTrue("Scheduler service without a String " + Scheduler.PROPERTY + ": " + r,
                            name instanceof String && !((String) name).isEmpty());
                    names.add((String) name);
                }
            }
        }
        return names;
    }
}
