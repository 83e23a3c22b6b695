package io.jvs.itests.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core runs without OSGi: jvs-api and jvs-core on a plain module path, wired by {@code ServiceLoader} from
 * the {@code provides} clause bnd generated into io.jvs.core's module-info.
 */
class PlainModulePathTest {

    @Test
    void coreOnAModulePathServesTheTableThroughServiceLoader(@TempDir final Path tmp) throws Exception {
        final Path api = Path.of(Procs.property("jvs.api.jar"));
        final Path core = Path.of(Procs.property("jvs.core.jar"));
        assertTrue(Files.isRegularFile(api) && Files.isRegularFile(core), "module jars " + api + ", " + core);
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final Procs.Result r = Procs.run(List.of(java.toString(),
                // jvs-core needs JNA (the AF_PACKET port) and the SLF4J API; nothing of OSGi.
                "--module-path", String.join(File.pathSeparator, api.toString(), core.toString(),
                        Procs.property("jvs.jna.jar"), Procs.property("jvs.slf4j.jar")),
                "--add-modules", "io.jvs.core",
                // No logging backend on this module path: the embedder brings one; keep SLF4J's notice quiet.
                "-Dslf4j.internal.verbosity=ERROR",
                "-cp", Procs.property("jvs.test.classes"),
                EmbeddedCoreMain.class.getName()), null, null, tmp, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("provider io.jvs.core.svc.ServiceTable in module io.jvs.core\n"
                + "api in module io.jvs.api\n"
                + "generation 1\n"
                + "TCP 10.1.1.1:80 rr\n"
                // the kernel's list order: the realserver added last comes first
                + "  -> 192.168.0.2:8080 Masq 1\n"
                + "  -> 192.168.0.1:80 Masq 2\n", r.out());
        assertEquals("", r.err());
    }
}
