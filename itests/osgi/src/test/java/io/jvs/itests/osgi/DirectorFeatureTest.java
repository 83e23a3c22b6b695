package io.jvs.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

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
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
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
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots {@code features/jvs-director.json} in Felix (Pax Exam native container) and drives the virtual
 * server table through the services the feature registers. The feature is the only bundle list: every
 * bundle it names is provisioned at its start-order, and nothing of ours is added beside it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DirectorFeatureTest {
    /** Bounded wait for a service of the feature. */
    private static final long SERVICE_WAIT_MS = 30_000;

    // ---------------------------------------------------------------- driver side: the framework to boot

    @Configuration
    public Option[] config() throws IOException {
        final Path feature = featurePath();
        final Path localRepo = Path.of(requiredProperty("jvs.localRepository"));
        final Path tmp = Files.createTempDirectory("jvs-osgi-");
        deleteOnExit(tmp);
        final List<Option> options = new ArrayList<>();
        // Pax Exam's own bundles and ours come from the local repository only: no network.
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository").value(localRepo.toString()));
        options.add(systemProperty("org.ops4j.pax.url.mvn.repositories").value(""));
        options.add(systemProperty("org.ops4j.pax.url.mvn.defaultRepositories").value("file:" + localRepo + "@id=local@snapshots"));
        options.add(systemProperty("org.ops4j.pax.url.mvn.useFallbackRepositories").value("false"));
        options.add(cleanCaches(true));
        options.add(frameworkProperty("jvs.state").value(tmp.resolve("state").toString()));
        options.add(frameworkProperty("jvs.socket").value(tmp.resolve("jvs.sock").toString()));
        options.add(frameworkProperty("jvs.feature").value(feature.toString()));
        for (final FeatureBundle b : FeatureFile.bundles(feature)) {
            final Path jar = jarOf(b);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Bundle " + b.id() + " of " + feature + " is not at " + jar
                        + (isOurs(b) ? ": build it first (mvn install -DskipTests -pl bundles/...)"
                                     : ": declare it as a test dependency in itests/osgi/pom.xml"));
            }
            final boolean fragment = isFragment(jar);
            options.add(isOurs(b)
                    ? bundle(location(b)).startLevel(b.startOrder()).start(!fragment)
                    : mavenBundle(b.groupId(), b.artifactId(), b.version()).startLevel(b.startOrder()).start(!fragment));
        }
        options.add(junitBundles());
        return options(options.toArray(new Option[0]));
    }

    // ---------------------------------------------------------------- the tests (inside the framework)

    @Test
    public void everyFeatureBundleIsActiveAtItsStartOrder() throws IOException {
        final BundleContext ctx = context();
        final List<String> problems = new ArrayList<>();
        for (final FeatureBundle b : FeatureFile.bundles(featurePath())) {
            final Bundle bundle = ctx.getBundle(location(b));
            if (bundle == null) {
                problems.add(b.id() + ": not installed");
                continue;
            }
            final boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            final int want = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (bundle.getState() != want) {
                problems.add(b.id() + " (" + bundle.getSymbolicName() + "): " + state(bundle.getState())
                        + ", expected " + state(want));
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
        assertTrue("Bundles not as the feature says:\n  " + String.join("\n  ", problems) + "\n" + bundleStates(),
                problems.isEmpty());
    }

    @Test
    public void slf4jOfOurBundlesLogsThroughLogback() throws Exception {
        final Bundle admin = bundleNamed("io.jvs.admin");
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
        final BundleContext ctx = context();
        final ServiceReference<?>[] refs = ctx.getAllServiceReferences(null,
                "(&(osgi.command.scope=jvs)(osgi.command.function=jvsadm))");
        assertNotNull("no Gogo command service jvs:jvsadm registered\n" + bundleStates(), refs);
        assertEquals(1, refs.length);
        final Set<String> functions = new TreeSet<>(List.of((String[]) refs[0].getProperty("osgi.command.function")));
        assertEquals(Set.of("ipvsadm", "jvsadm"), functions);
        assertEquals("io.jvs.admin", refs[0].getBundle().getSymbolicName());

        // And Gogo itself can run it: the shell's command processor finds jvs:jvsadm.
        final CommandProcessor processor = await(CommandProcessor.class);
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
        final VirtualServerTable core = await(VirtualServerTable.class);
        final AdminService admin = await(AdminService.class);
        assertEquals("0 clears", 0, run(admin, "-C").exit);

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
        assertEquals(0, run(admin, "-A", "-t", "10.0.0.1:80", "-s", "rr").exit);
        assertEquals(0, run(admin, "-a", "-t", "10.0.0.1:80", "-r", "192.168.1.1:8080", "-m", "-w", "2").exit);
        assertEquals(0, run(admin, "-a", "-t", "10.0.0.1:80", "-r", "192.168.1.2:8080", "-m").exit);

        final Result list = run(admin, "-Ln");
        assertEquals(list.err, 0, list.exit);
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "  -> 192.168.1.1:8080             Masq    2      0          0         \n"
                + "  -> 192.168.1.2:8080             Masq    1      0          0         \n"
                + "TCP  10.0.0.2:443 wlc\n"
                + "  -> 192.168.1.11:443             Route   3      0          0         \n"
                + "  -> 192.168.1.12:443             Masq    1      0          0         \n", list.out);
        assertEquals("", list.err);

        final Result save = run(admin, "-Sn");
        assertEquals("-A -t 10.0.0.1:80 -s rr\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.1:8080 -m -w 2\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.2:8080 -m -w 1\n"
                + "-A -t 10.0.0.2:443 -s wlc\n"
                + "-a -t 10.0.0.2:443 -r 192.168.1.11:443 -g -w 3\n"
                + "-a -t 10.0.0.2:443 -r 192.168.1.12:443 -m -w 1\n", save.out);

        // The registered VirtualServerTable is the same table the admin service lists.
        assertEquals(2, core.services().size());
        assertEquals(core.generation(), admin.table().generation());

        // Errors come back as ipvsadm prints them; nothing changes.
        final long generation = core.generation();
        final Result missing = run(admin, "-D", "-t", "10.0.0.1:8080");
        assertNotEquals(0, missing.exit);
        assertEquals("No such service\n", missing.err);
        assertEquals(generation, core.generation());

        // Every change is saved in jvs.state.
        final Path state = Path.of(context().getProperty("jvs.state"));
        final String saved = Files.readString(state.resolve("table.conf"), StandardCharsets.UTF_8);
        assertTrue("table.conf:\n" + saved, saved.contains("-A -t 10.0.0.1:80 -s rr\n"));
        assertTrue("table.conf:\n" + saved, saved.contains("-a -t 10.0.0.2:443 -r 192.168.1.11:443 -g -w 3\n"));

        // The control socket of jvs.socket is served.
        assertTrue("control socket " + context().getProperty("jvs.socket"),
                Files.exists(Path.of(context().getProperty("jvs.socket"))));
    }

    /**
     * The Scheduler services are exactly those of the feature's jvs-sched-* bundles, each named by its
     * {@code jvs.scheduler} property and accepted by the table. (A feature without scheduler bundles must
     * have no Scheduler service at all: checked too, so this test is never a silent pass.)
     */
    @Test
    public void schedulerServicesAreThoseOfTheFeaturesSchedulerBundles() throws Exception {
        final VirtualServerTable core = await(VirtualServerTable.class);
        final BundleContext ctx = context();
        final Set<Long> schedBundles = new TreeSet<>();
        for (final FeatureBundle b : FeatureFile.bundles(featurePath())) {
            if (isOurs(b) && b.artifactId().startsWith("jvs-sched-")) {
                final Bundle bundle = ctx.getBundle(location(b));
                assertNotNull(b.id() + " not installed", bundle);
                schedBundles.add(bundle.getBundleId());
                final long deadline = System.nanoTime() + SERVICE_WAIT_MS * 1_000_000;
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

    private record Result(int exit, String out, String err) {
    }

    private static Result run(final AdminService admin, final String... argv) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
             InputStream in = new ByteArrayInputStream(new byte[0])) {
            exit = admin.execute(List.of(argv), in, o, e);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private <S> S await(final Class<S> type) throws InterruptedException {
        final ServiceTracker<S, S> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        final S s = tracker.waitForService(SERVICE_WAIT_MS);
        // The tracker stays open for the test's duration (the framework is per class), so the service stays gotten.
        assertNotNull(type.getName() + " not registered within " + SERVICE_WAIT_MS + " ms\n" + bundleStates(), s);
        return s;
    }

    private static BundleContext context() {
        return FrameworkUtil.getBundle(DirectorFeatureTest.class).getBundleContext();
    }

    private static Bundle bundleNamed(final String bsn) {
        for (final Bundle b : context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        fail("no bundle " + bsn + "\n" + bundleStates());
        return null;
    }

    private static String bundleStates() {
        final StringBuilder s = new StringBuilder("Bundles:\n");
        for (final Bundle b : context().getBundles()) {
            s.append(String.format("  %3d %-11s L%-2d %s %s%n", b.getBundleId(), state(b.getState()),
                    b.adapt(BundleStartLevel.class) == null ? 0 : b.adapt(BundleStartLevel.class).getStartLevel(),
                    b.getSymbolicName(), b.getVersion()));
        }
        return s.toString();
    }

    private static String state(final int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "state " + state;
        }
    }

    // ---------------------------------------------------------------- where the feature's bundles come from

    private static Path featurePath() {
        return Path.of(requiredProperty("jvs.feature")).toAbsolutePath().normalize();
    }

    private static boolean isOurs(final FeatureBundle b) {
        return "io.jvs".equals(b.groupId());
    }

    /** Our bundles come from the reactor's target/ (what was just built), the others from the local repository. */
    private static Path jarOf(final FeatureBundle b) {
        if (isOurs(b)) {
            return Path.of(requiredProperty("jvs.reactor"), "bundles", b.artifactId(), "target",
                    b.artifactId() + "-" + b.version() + ".jar").toAbsolutePath().normalize();
        }
        return Path.of(requiredProperty("jvs.localRepository"), b.groupId().replace('.', '/'), b.artifactId(),
                b.version(), b.artifactId() + "-" + b.version() + ".jar");
    }

    /** The bundle location Pax Exam installs the feature bundle under. */
    private static String location(final FeatureBundle b) {
        return isOurs(b) ? jarOf(b).toUri().toString()
                : "mvn:" + b.groupId() + "/" + b.artifactId() + "/" + b.version();
    }

    private static boolean isFragment(final Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest() != null && j.getManifest().getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
        }
    }

    private static String requiredProperty(final String key) {
        final String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + key + " is not set (run through Maven: mvn test -pl itests/osgi)");
        }
        return v;
    }

    private static void deleteOnExit(final Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (final IOException ignored) {
                // best effort at JVM exit
            }
        }, "jvs-osgi-tmp-cleanup"));
    }
}
