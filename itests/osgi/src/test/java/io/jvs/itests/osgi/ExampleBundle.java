package io.jvs.itests.osgi;

import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Constants;
import aQute.bnd.osgi.Jar;
import com.example.sched.FirstAvailable;
import io.jvs.api.sched.Scheduler;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Builds the example scheduler bundle of {@code bundles/jvs-sched-classic/CUSTOM-SCHEDULER.md} at test time,
 * as the page's bnd-maven-plugin project would: bnd with the page's {@code bnd.bnd}, the compiled package
 * {@code com.example.sched}, and jvs-api on the class path (for the import's version range). Driver side only:
 * bnd is on the test class path, not in the framework.
 */
final class ExampleBundle {
    /** The example's source and bnd file, relative to the repository root; the page shows both verbatim. */
    static final String SOURCE = "itests/osgi/src/test/java/com/example/sched/FirstAvailable.java";
    static final String BND = "itests/osgi/src/test/resources/custom-scheduler/bnd.bnd";

    private ExampleBundle() {
    }

    /** The bundle jar, written into {@code dir}. */
    static Path build(final Path dir) throws Exception {
        try (Builder bnd = new Builder()) {
            bnd.setProperties(Feature.reactor().resolve(BND).toFile());
            bnd.setProperty(Constants.INCLUDEPACKAGE, FirstAvailable.class.getPackageName());
            bnd.addClasspath(codeSource(FirstAvailable.class).toFile());
            bnd.addClasspath(codeSource(Scheduler.class).toFile());
            final Jar jar = bnd.build();
            if (!bnd.isOk()) {
                throw new IllegalStateException("bnd could not build the example: " + bnd.getErrors());
            }
            final Path out = dir.resolve("com.example.sched.jar");
            jar.write(out.toFile());
            return out;
        }
    }

    private static Path codeSource(final Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (final URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
