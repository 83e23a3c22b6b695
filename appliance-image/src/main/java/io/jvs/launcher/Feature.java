package io.jvs.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An OSGi R8 feature (spec chapter 159, {@code "feature-resource-version": "1.0"}) as far as the
 * appliance uses it: its id, its bundles in install order with a mandatory {@code start-order},
 * and its configurations (PID or {@code factory~name} to properties, see
 * {@link FeatureConfigurations}). {@code variables} and {@code extensions} are rejected: the
 * appliance applies neither, and silently ignoring them would boot something else than the
 * feature describes.
 */
public final class Feature {

    /** The feature file is malformed or says something the appliance cannot honour. */
    public static final class FeatureException extends Exception {
        private static final long serialVersionUID = 1L;

        public FeatureException(String message) {
            super(message);
        }
    }

    /** One bundle of a feature: Maven coordinates and start level. */
    public record FeatureBundle(String groupId, String artifactId, String version, String classifier,
                                int startOrder) {

        /** The coordinates as written in the feature. */
        public String id() {
            return groupId + ":" + artifactId + (classifier == null ? "" : ":jar:" + classifier) + ":" + version;
        }

        /** The file name under the image's {@code bundle/}: {@code artifactId-version[-classifier].jar}. */
        public String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + ".jar";
        }
    }

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("feature-resource-version", "id", "name",
            "description", "docURL", "license", "scm", "vendor", "complete", "categories", "bundles",
            "configurations", "variables", "extensions");

    private final String id;
    private final List<FeatureBundle> bundles;
    private final Map<String, Map<String, Object>> configurations;

    private Feature(String id, List<FeatureBundle> bundles, Map<String, Map<String, Object>> configurations) {
        this.id = id;
        this.bundles = bundles;
        this.configurations = configurations;
    }

    public String id() {
        return id;
    }

    /** The bundles in the order the feature lists them (= install order). */
    public List<FeatureBundle> bundles() {
        return bundles;
    }

    /** PID (or {@code factoryPid~name}) to raw property map, keys possibly typed ({@code "port:Integer"}). */
    public Map<String, Map<String, Object>> configurations() {
        return configurations;
    }

    /** The highest start-order of any bundle (the framework's target start level). */
    public int maxStartOrder() {
        return bundles.stream().mapToInt(FeatureBundle::startOrder).max().orElse(1);
    }

    public static Feature read(Path file) throws FeatureException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FeatureException(file + ": cannot read feature: " + e);
        }
        return parse(file.toString(), text);
    }

    /** Parses feature JSON; {@code source} names the file in error messages. */
    public static Feature parse(String source, String json) throws FeatureException {
        Object root;
        try {
            root = Json.parse(json);
        } catch (Json.ParseException e) {
            throw new FeatureException(source + ": invalid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map)) {
            throw new FeatureException(source + ": a feature must be a JSON object, found " + kind(root));
        }
        Map<?, ?> top = (Map<?, ?>) root;
        for (Object key : top.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw new FeatureException(source + ": unknown key \"" + key + "\" (allowed: " + new java.util.TreeSet<>(TOP_LEVEL_KEYS) + ")");
            }
        }
        String version = string(source, top, "feature-resource-version", "the feature");
        if (!version.equals("1.0")) {
            throw new FeatureException(source + ": \"feature-resource-version\" is \"" + version + "\", only \"1.0\" is supported");
        }
        String id = string(source, top, "id", "the feature");
        parseCoordinates(source, id, "\"id\" of the feature");
        for (String unsupported : List.of("variables", "extensions")) {
            Object value = top.get(unsupported);
            if (value != null && !(value instanceof Map && ((Map<?, ?>) value).isEmpty())) {
                throw new FeatureException(source + ": \"" + unsupported + "\" are not supported by the JVS launcher; remove them");
            }
        }
        return new Feature(id, bundles(source, top.get("bundles")), configurations(source, top.get("configurations")));
    }

    private static List<FeatureBundle> bundles(String source, Object value) throws FeatureException {
        if (value == null) {
            throw new FeatureException(source + ": missing \"bundles\"");
        }
        if (!(value instanceof List)) {
            throw new FeatureException(source + ": \"bundles\" must be an array, found " + kind(value));
        }
        List<?> list = (List<?>) value;
        if (list.isEmpty()) {
            throw new FeatureException(source + ": \"bundles\" is empty");
        }
        List<FeatureBundle> bundles = new ArrayList<>();
        Set<String> seenArtifacts = new HashSet<>();
        Set<String> seenFiles = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "bundles[" + i + "]";
            if (!(list.get(i) instanceof Map)) {
                throw new FeatureException(source + ": " + where + " must be an object {\"id\": ..., \"start-order\": ...}, found " + kind(list.get(i)));
            }
            Map<?, ?> entry = (Map<?, ?>) list.get(i);
            String id = string(source, entry, "id", where);
            where = where + " (" + id + ")";
            String[] gav = parseCoordinates(source, id, where);
            Object order = entry.get("start-order");
            if (order == null) {
                throw new FeatureException(source + ": " + where + " has no \"start-order\"");
            }
            if (!(order instanceof Long) || (Long) order < 1 || (Long) order > 1000) {
                throw new FeatureException(source + ": " + where + ": \"start-order\" must be an integer from 1 to 1000, found " + order);
            }
            FeatureBundle bundle = new FeatureBundle(gav[0], gav[1], gav[2], gav[3], ((Long) order).intValue());
            if (!seenArtifacts.add(gav[0] + ":" + gav[1] + (gav[3] == null ? "" : ":" + gav[3]))) {
                throw new FeatureException(source + ": " + where + ": " + gav[0] + ":" + gav[1] + " is listed twice");
            }
            if (!seenFiles.add(bundle.fileName())) {
                throw new FeatureException(source + ": " + where + ": another bundle has the same file name " + bundle.fileName());
            }
            bundles.add(bundle);
        }
        return Collections.unmodifiableList(bundles);
    }

    private static Map<String, Map<String, Object>> configurations(String source, Object value) throws FeatureException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new FeatureException(source + ": \"configurations\" must be an object (PID to properties), found " + kind(value));
        }
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            String pid = (String) e.getKey();
            String where = "configurations[\"" + pid + "\"]";
            if (pid.isEmpty() || pid.startsWith("~") || pid.endsWith("~")) {
                throw new FeatureException(source + ": " + where + ": a PID must be \"pid\" or \"factoryPid~name\"");
            }
            if (!(e.getValue() instanceof Map)) {
                throw new FeatureException(source + ": " + where + " must be an object of properties, found " + kind(e.getValue()));
            }
            Map<String, Object> props = new LinkedHashMap<>();
            for (Map.Entry<?, ?> p : ((Map<?, ?>) e.getValue()).entrySet()) {
                try {
                    FeatureConfigurations.convert((String) p.getKey(), p.getValue());
                } catch (IllegalArgumentException bad) {
                    throw new FeatureException(source + ": " + where + ": " + bad.getMessage());
                }
                props.put((String) p.getKey(), p.getValue());
            }
            result.put(pid, Collections.unmodifiableMap(props));
        }
        return Collections.unmodifiableMap(result);
    }

    /** {@code group:artifact:version}, {@code group:artifact:jar:version} or {@code group:artifact:jar:classifier:version}. */
    static String[] parseCoordinates(String source, String id, String where) throws FeatureException {
        String[] parts = id.split(":", -1);
        for (String part : parts) {
            if (part.isBlank() || !part.strip().equals(part)) {
                throw new FeatureException(source + ": " + where + ": \"" + id + "\" is not Maven coordinates group:artifact:version (empty or padded part)");
            }
        }
        switch (parts.length) {
            case 3:
                return new String[] {parts[0], parts[1], parts[2], null};
            case 4:
            case 5:
                if (!parts[2].equals("jar")) {
                    throw new FeatureException(source + ": " + where + ": type \"" + parts[2] + "\" in \"" + id + "\" is not supported, bundles are jars");
                }
                return new String[] {parts[0], parts[1], parts[parts.length - 1], parts.length == 5 ? parts[3] : null};
            default:
                throw new FeatureException(source + ": " + where + ": \"" + id + "\" is not Maven coordinates group:artifact:version");
        }
    }

    private static String string(String source, Map<?, ?> map, String key, String where) throws FeatureException {
        Object value = map.get(key);
        if (value == null) {
            throw new FeatureException(source + ": " + where + " has no \"" + key + "\"");
        }
        if (!(value instanceof String)) {
            throw new FeatureException(source + ": " + where + ": \"" + key + "\" must be a string, found " + kind(value));
        }
        return (String) value;
    }

    static String kind(Object value) {
        if (value == null) return "null";
        if (value instanceof Map) return "an object";
        if (value instanceof List) return "an array";
        if (value instanceof String) return "a string";
        if (value instanceof Boolean) return "a boolean";
        return "a number (" + value + ")";
    }
}
