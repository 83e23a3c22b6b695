package io.jvs.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The feature is the single source of truth for what an image contains: every bundle it names
 * must be in the image's {@code bundle/} directory as {@code artifactId-version.jar}, must be an
 * OSGi bundle, and nothing else may be there. Run by the build after the image is assembled
 * ({@link #main}) and by the launcher before every boot.
 */
public final class ImageCheck {

    private ImageCheck() {
    }

    /** Every mismatch between the feature and the directory, one sentence each; empty when they match. */
    public static List<String> problems(Feature feature, Path bundleDir) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(bundleDir)) {
            problems.add("bundle directory " + bundleDir + " does not exist");
            return problems;
        }
        Set<String> present = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(bundleDir)) {
            for (Path file : files) {
                present.add(file.getFileName().toString());
            }
        } catch (IOException e) {
            problems.add("cannot list " + bundleDir + ": " + e);
            return problems;
        }
        for (Feature.FeatureBundle bundle : feature.bundles()) {
            Path jar = bundleDir.resolve(bundle.fileName());
            if (!present.remove(bundle.fileName())) {
                problems.add("bundle " + bundle.id() + " named by the feature is missing: no " + jar);
                continue;
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                    problems.add("bundle " + bundle.id() + ": " + jar + " is not an OSGi bundle (no Bundle-SymbolicName)");
                }
            } catch (IOException e) {
                problems.add("bundle " + bundle.id() + ": " + jar + " is not a readable jar: " + e.getMessage());
            }
        }
        for (String extra : present) {
            problems.add(bundleDir.resolve(extra) + " is not named by feature " + feature.id());
        }
        return problems;
    }

    /** {@code ImageCheck <feature.json> <bundle-dir>}: throws (failing the build) on any mismatch. */
    public static void main(String[] args) throws Feature.FeatureException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ImageCheck <feature.json> <bundle-dir>");
        }
        Feature feature = Feature.read(Path.of(args[0]));
        List<String> problems = problems(feature, Path.of(args[1]));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("image does not match feature " + feature.id() + ":\n  "
                    + String.join("\n  ", problems)
                    + "\n  (bundle/ is filled from the runtime dependencies of appliance-image/pom.xml:"
                    + " declare each bundle of the feature there, and nothing else)");
        }
        System.out.println("[jvs] image matches feature " + feature.id() + ": " + feature.bundles().size() + " bundles in " + args[1]);
    }
}
