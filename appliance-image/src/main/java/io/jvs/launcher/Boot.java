package io.jvs.launcher;

import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point on the JVM class path ({@code -cp lib/jvs-launcher.jar}). Two class loaders keep the
 * launcher's own logging out of the framework's sight:
 * <ul>
 * <li>"felix": {@code felix.jar} alone (parent: the platform loader). Felix hosts framework
 * extensions (SPI Fly) in the loader that loaded it.</li>
 * <li>"jvs-launcher": {@link Main}, SLF4J and logback (parent: "felix").</li>
 * </ul>
 * The application class loader then holds no SLF4J provider either. Both matter: SPI Fly looks
 * for providers through its own loader and the thread context loader (the application loader on
 * most threads, always on JDK pool threads); a logback found there is "not a subtype" of the
 * bundles' SLF4J interface, and SLF4J inside the framework binds to NOP for good.
 */
public final class Boot {

    /** The launcher's private class path, in {@code $JVS_HOME/lib}. */
    static final String[] LAUNCHER_JARS = {"jvs-launcher.jar", "slf4j-api.jar", "logback-classic.jar", "logback-core.jar"};
    static final String FELIX_JAR = "felix.jar";

    private Boot() {
    }

    public static void main(String[] args) throws Throwable {
        String home = System.getProperty("jvs.home");
        if (home == null) {
            System.err.println("jvs: system property jvs.home (the image root) is not set; start JVS with bin/jvs");
            System.exit(2);
        }
        Path lib = Path.of(home, "lib");
        ClassLoader felix = new URLClassLoader("felix", urls(lib, FELIX_JAR), ClassLoader.getPlatformClassLoader());
        ClassLoader launcher = new URLClassLoader("jvs-launcher", urls(lib, LAUNCHER_JARS), felix);
        try {
            launcher.loadClass(Main.class.getName()).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static URL[] urls(Path lib, String... names) throws MalformedURLException {
        URL[] urls = new URL[names.length];
        for (int i = 0; i < names.length; i++) {
            Path jar = lib.resolve(names[i]);
            if (!Files.isRegularFile(jar)) {
                System.err.println("jvs: broken image: " + jar + " is missing");
                System.exit(2);
            }
            urls[i] = jar.toUri().toURL();
        }
        return urls;
    }
}
