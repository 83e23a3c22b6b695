package io.jvs.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCheckTest {

    private static final String FEATURE = "{\"feature-resource-version\": \"1.0\", \"id\": \"io.jvs:t:1\", \"bundles\": ["
            + "{\"id\": \"g:a:1.0\", \"start-order\": 1}, {\"id\": \"g:b:2.0\", \"start-order\": 2}]}";

    @TempDir
    Path dir;

    @Test
    void matchingDirectoryHasNoProblems() throws Exception {
        bundle("a-1.0.jar", "a");
        bundle("b-2.0.jar", "b");
        assertEquals(List.of(), ImageCheck.problems(Feature.parse("f", FEATURE), dir));
    }

    @Test
    void reportsMissingExtraAndNonBundleJars() throws Exception {
        bundle("a-1.0.jar", null);
        bundle("stray-3.jar", "stray");
        assertEquals(List.of(
                "bundle g:a:1.0: " + dir.resolve("a-1.0.jar") + " is not an OSGi bundle (no Bundle-SymbolicName)",
                "bundle g:b:2.0 named by the feature is missing: no " + dir.resolve("b-2.0.jar"),
                dir.resolve("stray-3.jar") + " is not named by feature io.jvs:t:1"),
                ImageCheck.problems(Feature.parse("f", FEATURE), dir));
    }

    @Test
    void reportsMissingDirectory() throws Exception {
        Path none = dir.resolve("none");
        assertEquals(List.of("bundle directory " + none + " does not exist"), ImageCheck.problems(Feature.parse("f", FEATURE), none));
    }

    private void bundle(String file, String bsn) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(file)); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
    }
}
