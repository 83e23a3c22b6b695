package io.jvs.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots the JVS appliance: reads the feature, checks the image against it, starts Felix with a
 * clean cache under {@code $JVS_STATE}, installs the feature's bundles with their start levels,
 * starts them, reports every bundle's state, and runs until the framework stops or the JVM gets
 * SIGTERM (then it stops the framework cleanly). Any bundle that fails to install, resolve or start
 * fails the boot with exit code 1; a bad image or feature exits with 2.
 *
 * <p>Usage: {@code Main [--interactive] [--feature <file>]}. {@code -Djvs.home} is the image root
 * (set by {@code bin/jvs}); {@code JVS_STATE} and {@code JVS_SOCKET} come from the environment.
 */
public final class Main {

    static final String DEFAULT_STATE = "/var/lib/jvs";
    static final String DEFAULT_SOCKET = "/run/jvs/jvs.sock";
    private static final long STOP_TIMEOUT_MS = 30_000;

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private final Path home;
    private final Path feature;
    private final Path state;
    private final Path socket;
    private final boolean interactive;
    private volatile Framework framework;
    private volatile boolean shuttingDown;

    Main(Path home, Path feature, Path state, Path socket, boolean interactive) {
        this.home = home;
        this.feature = feature;
        this.state = state;
        this.socket = socket;
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        String homeProperty = System.getProperty("jvs.home");
        if (homeProperty == null) {
            fail(2, "system property jvs.home (the image root) is not set; start JVS with bin/jvs");
        }
        Path home = Path.of(homeProperty).toAbsolutePath().normalize();
        Path feature = home.resolve("features/jvs-director.json");
        boolean interactive = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--interactive")) {
                interactive = true;
            } else if (args[i].equals("--feature") && i + 1 < args.length) {
                feature = Path.of(args[++i]).toAbsolutePath().normalize();
            } else {
                fail(2, "unknown argument \"" + args[i] + "\"; usage: Main [--interactive] [--feature <file>]");
            }
        }
        Path state = Path.of(env("JVS_STATE", DEFAULT_STATE)).toAbsolutePath().normalize();
        Path socket = Path.of(env("JVS_SOCKET", DEFAULT_SOCKET)).toAbsolutePath().normalize();
        Main launcher = new Main(home, feature, state, socket, interactive);
        int code = launcher.run();
        if (!launcher.shuttingDown) {
            // Boot failure, or the framework stopped from inside (Gogo "stop 0", shell exit): leave even if a
            // bundle left a non-daemon thread. Not during a SIGTERM shutdown: System.exit would block on the hook.
            System.exit(code);
        }
    }

    /** Boots and waits for the framework to stop; returns the process exit code. */
    int run() {
        Feature model;
        try {
            model = Feature.read(feature);
        } catch (Feature.FeatureException e) {
            LOG.error("cannot boot: {}", e.getMessage());
            return 2;
        }
        List<String> imageProblems = ImageCheck.problems(model, home.resolve("bundle"));
        if (!imageProblems.isEmpty()) {
            imageProblems.forEach(p -> LOG.error("cannot boot: {}", p));
            return 2;
        }
        Map<String, Object> props;
        try {
            Files.createDirectories(state);
            Files.createDirectories(socket.getParent());
            props = frameworkProperties(model);
        } catch (IOException e) {
            LOG.error("cannot boot: {}", e.toString());
            return 2;
        }
        LOG.info("booting feature {} ({} bundles) home={} state={} socket={}",
                model.id(), model.bundles().size(), home, state, socket);

        Framework fw = new Felix(props);
        framework = fw;
        // Ordered, no duplicates: a start failure arrives both as an ERROR event and from the retry below.
        Set<String> errors = Collections.synchronizedSet(new LinkedHashSet<>());
        try {
            fw.init();
            BundleContext ctx = fw.getBundleContext();
            ctx.addFrameworkListener(event -> {
                if (event.getType() == FrameworkEvent.ERROR) {
                    errors.add(describe(event.getBundle()) + ": " + event.getThrowable());
                }
            });
            FeatureConfigurations configurations = new FeatureConfigurations(ctx, model.configurations());
            configurations.register();
            List<Bundle> installed = install(ctx, model, errors);
            if (!errors.isEmpty()) {
                return abort(fw, errors);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "jvs-shutdown"));
            fw.start();
            if (shuttingDown) {
                return 0; // SIGTERM during boot: the shutdown hook stops the framework
            }
            for (Bundle b : installed) {
                if (!isFragment(b) && b.getState() != Bundle.ACTIVE) {
                    try {
                        b.start();
                        errors.add(describe(b) + ": did not start at boot (started on retry)");
                    } catch (BundleException | RuntimeException e) {
                        errors.add(describe(b) + ": " + e);
                    }
                }
            }
            String configProblem = configurations.problem();
            if (configProblem != null) {
                errors.add(configProblem);
            }
            report(model, installed);
            if (!errors.isEmpty()) {
                return abort(fw, errors);
            }
            reportSlf4jProvider(installed);
            Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
            LOG.info("JVS up: feature {}, {} bundles, ready {} ms after JVM start",
                    model.id(), installed.size(), Duration.between(jvmStart, Instant.now()).toMillis());
            fw.waitForStop(0);
            LOG.info("framework stopped");
            return 0;
        } catch (BundleException | RuntimeException e) {
            LOG.error("cannot boot: framework failed", e);
            return abort(fw, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Map<String, Object> frameworkProperties(Feature model) throws IOException {
        Map<String, Object> props = new HashMap<>();
        String level = Integer.toString(model.maxStartOrder());
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, level);
        props.put("felix.startlevel.bundle", level);
        props.put("felix.log.level", "3");
        Path etc = home.resolve("etc/jvs.properties");
        if (Files.isRegularFile(etc)) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(etc)) {
                file.load(in);
            }
            file.stringPropertyNames().forEach(k -> props.put(k, file.getProperty(k).strip()));
        }
        // Not overridable: the image is booted fresh from its feature, and state/socket come from the environment.
        props.put(Constants.FRAMEWORK_STORAGE, state.resolve("felix-cache").toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put("jvs.home", home.toString());
        props.put("jvs.state", state.toString());
        props.put("jvs.socket", socket.toString());
        props.put("jvs.feature", model.id());
        String dataplane = System.getenv("JVS_DATAPLANE");
        if (dataplane != null && !dataplane.isBlank()) {
            props.put("jvs.dataplane", dataplane.strip());
        }
        props.put("gosh.args", interactive ? "" : "--nointeractive");
        props.put("felix.log.logger", new FrameworkLog());
        return props;
    }

    private List<Bundle> install(BundleContext ctx, Feature model, Set<String> errors) {
        List<Bundle> installed = new ArrayList<>();
        for (Feature.FeatureBundle fb : model.bundles()) {
            Path jar = home.resolve("bundle").resolve(fb.fileName());
            try {
                Bundle b = ctx.installBundle(jar.toUri().toString());
                b.adapt(BundleStartLevel.class).setStartLevel(fb.startOrder());
                if (!isFragment(b)) {
                    b.start(); // before framework start: only marks the bundle to start at its level
                }
                installed.add(b);
            } catch (BundleException | RuntimeException e) {
                errors.add("bundle " + fb.id() + " (" + jar + ") failed to install: " + e);
            }
        }
        return installed;
    }

    private void report(Feature model, List<Bundle> bundles) {
        LOG.info("feature {}: {} bundles", model.id(), bundles.size());
        for (Bundle b : bundles) {
            String kind = isExtension(b) ? " (framework extension)" : isFragment(b) ? " (fragment)" : "";
            LOG.info("  [{}] level {} {} {} {}{}", String.format("%2d", b.getBundleId()),
                    b.adapt(BundleStartLevel.class).getStartLevel(),
                    String.format("%-9s", stateName(b.getState())), b.getSymbolicName(), b.getVersion(), kind);
        }
    }

    /** Logs which SLF4J provider the bundles got; NOP means SPI Fly or the start order is broken. */
    private void reportSlf4jProvider(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            if ("slf4j.api".equals(b.getSymbolicName())) {
                try {
                    Object factory = b.loadClass("org.slf4j.LoggerFactory").getMethod("getILoggerFactory").invoke(null);
                    String name = factory.getClass().getName();
                    if (name.contains("NOP") || name.contains("Substitute")) {
                        LOG.error("SLF4J inside the framework bound to {}: bundle logging is lost (check SPI Fly and start levels)", name);
                    } else {
                        LOG.info("SLF4J provider inside the framework: {}", name);
                    }
                } catch (ReflectiveOperationException e) {
                    LOG.warn("cannot query the SLF4J provider: {}", e.toString());
                }
            }
        }
    }

    private int abort(Framework fw, Collection<String> errors) {
        synchronized (errors) {
            for (String e : errors) {
                LOG.error("boot failed: {}", e);
            }
        }
        stopQuietly(fw);
        return 1;
    }

    private void shutdown() {
        Framework fw = framework;
        if (fw == null || (fw.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) == 0) {
            return;
        }
        shuttingDown = true;
        LOG.info("stop requested: stopping the framework");
        stopQuietly(fw);
    }

    private static void stopQuietly(Framework fw) {
        try {
            fw.stop();
            FrameworkEvent event = fw.waitForStop(STOP_TIMEOUT_MS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.error("framework did not stop within {} ms", STOP_TIMEOUT_MS);
            }
        } catch (BundleException | RuntimeException e) {
            LOG.error("stopping the framework failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isFragment(Bundle b) {
        return b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    static boolean isExtension(Bundle b) {
        String host = b.getHeaders("").get(Constants.FRAGMENT_HOST);
        return host != null && (host.startsWith(Constants.SYSTEM_BUNDLE_SYMBOLICNAME) || host.startsWith("org.apache.felix.framework"));
    }

    private static String describe(Bundle b) {
        return b == null ? "framework" : "bundle " + b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "] (" + b.getLocation() + ")";
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "UNINSTALLED";
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void fail(int code, String message) {
        LOG.error(message);
        System.exit(code);
    }
}
