package io.jvs.itests.osgi;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.jvs.itests.osgi.FeatureFile.FeatureBundle;
import io.jvs.testkit.wire.TestFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The feature every test class of this module boots ({@code features/jvs-director.json}, or
 * {@code -Djvs.itest.feature}), and what the tests inside the framework need of it. The feature is the only
 * bundle list: every bundle it names is provisioned at its start-order, and nothing of ours is added beside it
 * (a test that needs another bundle installs it itself, at run time).
 */
final class Feature {
    /** Bounded wait for a service or a state of the framework. */
    static final long WAIT_MS = 30_000;

    private Feature() {
    }

    // ---------------------------------------------------------------- driver side: the framework to boot

    /** The options that boot the feature, plus {@code extra} (framework properties of one test class). */
    static Option[] options(final Option... extra) throws IOException {
        final Path feature = path();
        final Path localRepo = Path.of(requiredProperty("jvs.localRepository"));
        final Path tmp = tempDirectory("jvs-osgi-");
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
        // As the launcher without a terminal: no Gogo console. In a Surefire fork stdin is Surefire's command
        // channel; a console per framework would read it (and stop its framework at EOF), and the fork could hang
        // at exit ("Surefire is going to kill self fork JVM").
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        // The test fixtures of jvs-testkit (frames, the NAT lab's addresses: MemoryDataplane) are a plain jar on this
        // JVM's class path, not a bundle: the system bundle exports their package, and the probe
        // (DynamicImport-Package: *) wires to it. No bundle of the feature imports it.
        options.add(systemPackage(TestFrames.class.getPackageName()));
        for (final FeatureBundle b : FeatureFile.bundles(feature)) {
            final Path jar = jarOf(b);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Bundle " + b.id() + " of " + feature + " is not at " + jar
                        + (isOurs(b) ? ": build it first (mvn package -DskipTests -pl bundles/...)"
                                     : ": declare it as a test dependency in itests/osgi/pom.xml"));
            }
            final boolean fragment = isFragment(jar);
            options.add(isOurs(b)
                    ? bundle(location(b)).startLevel(b.startOrder()).start(!fragment)
                    : mavenBundle(b.groupId(), b.artifactId(), b.version()).startLevel(b.startOrder()).start(!fragment));
        }
        options.addAll(List.of(extra));
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    /** A temporary directory removed when the JVM exits. */
    static Path tempDirectory(final String prefix) throws IOException {
        final Path dir = Files.createTempDirectory(prefix);
        deleteOnExit(dir);
        return dir;
    }

    // ---------------------------------------------------------------- inside the framework

    static BundleContext context() {
        return FrameworkUtil.getBundle(Feature.class).getBundleContext();
    }

    /** The service, waited for; the tracker stays open (the framework lives as long as the test class). */
    static <S> S await(final Class<S> type) throws InterruptedException {
        final ServiceTracker<S, S> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        final S s = tracker.waitForService(WAIT_MS);
        assertNotNull(type.getName() + " not registered within " + WAIT_MS + " ms\n" + bundleStates(), s);
        return s;
    }

    /** Polls {@code condition} every millisecond for at most {@code millis}; whether it became true. */
    static boolean within(final long millis, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** The installed bundle of one of our artifacts that the feature lists, e.g. {@code jvs-sched-classic}. */
    static Bundle ours(final String artifactId) throws IOException {
        for (final FeatureBundle b : bundles()) {
            if (isOurs(b) && b.artifactId().equals(artifactId)) {
                final Bundle bundle = context().getBundle(location(b));
                assertNotNull(b.id() + " not installed\n" + bundleStates(), bundle);
                return bundle;
            }
        }
        throw new AssertionError("the feature " + path() + " lists no io.jvs:" + artifactId);
    }

    static Bundle bundleNamed(final String bsn) {
        for (final Bundle b : context().getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        fail("no bundle " + bsn + "\n" + bundleStates());
        return null;
    }

    static String bundleStates() {
        final StringBuilder s = new StringBuilder("Bundles:\n");
        for (final Bundle b : context().getBundles()) {
            s.append(String.format("  %3d %-11s L%-2d %s %s%n", b.getBundleId(), state(b.getState()),
                    b.adapt(BundleStartLevel.class) == null ? 0 : b.adapt(BundleStartLevel.class).getStartLevel(),
                    b.getSymbolicName(), b.getVersion()));
        }
        return s.toString();
    }

    static String state(final int state) {
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

    static Path path() {
        return Path.of(requiredProperty("jvs.feature")).toAbsolutePath().normalize();
    }

    static List<FeatureBundle> bundles() throws IOException {
        return FeatureFile.bundles(path());
    }

    static boolean isOurs(final FeatureBundle b) {
        return "io.jvs".equals(b.groupId());
    }

    /** Our bundles come from the reactor's target/ (what was just built), the others from the local repository. */
    static Path jarOf(final FeatureBundle b) {
        if (isOurs(b)) {
            return reactor().resolve(Path.of("bundles", b.artifactId(), "target", b.artifactId() + "-" + b.version() + ".jar"));
        }
        return Path.of(requiredProperty("jvs.localRepository"), b.groupId().replace('.', '/'), b.artifactId(),
                b.version(), b.artifactId() + "-" + b.version() + ".jar");
    }

    /** The bundle location Pax Exam installs the feature bundle under. */
    static String location(final FeatureBundle b) {
        return isOurs(b) ? jarOf(b).toUri().toString()
                : "mvn:" + b.groupId() + "/" + b.artifactId() + "/" + b.version();
    }

    /** The repository root. */
    static Path reactor() {
        return Path.of(requiredProperty("jvs.reactor")).toAbsolutePath().normalize();
    }

    private static boolean isFragment(final Path jar) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            return j.getManifest() != null && j.getManifest().getMainAttributes().getValue(Constants.FRAGMENT_HOST) != null;
        }
    }

    static String requiredProperty(final String key) {
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
