package io.jvs.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class FeatureTest {

    private static final String GOOD = "{\"feature-resource-version\": \"1.0\", \"id\": \"io.jvs:test:1.0\","
            + " \"bundles\": [{\"id\": \"org.example:a:1.2.3\", \"start-order\": 1},"
            + " {\"id\": \"org.example:b:jar:linux:2.0\", \"start-order\": 3, \"hash\": \"ignored metadata\"}],"
            + " \"configurations\": {\"io.jvs.x\": {\"port:Integer\": 8080, \"name\": \"n\"}, \"io.jvs.f~one\": {}}}";

    @Test
    void readsIdBundlesAndConfigurations() throws Exception {
        Feature f = Feature.parse("good.json", GOOD);
        assertEquals("io.jvs:test:1.0", f.id());
        assertEquals(List.of("a-1.2.3.jar", "b-2.0-linux.jar"),
                f.bundles().stream().map(Feature.FeatureBundle::fileName).collect(Collectors.toList()));
        assertEquals("org.example:b:jar:linux:2.0", f.bundles().get(1).id());
        assertEquals(3, f.maxStartOrder());
        assertEquals(List.of("io.jvs.x", "io.jvs.f~one"), List.copyOf(f.configurations().keySet()));
        assertEquals(8080L, f.configurations().get("io.jvs.x").get("port:Integer"));
    }

    @Test
    void shippedDirectorFeatureFollowsTheStartLevelRules() throws Exception {
        Feature f = Feature.read(Path.of("../features/jvs-director.json"));
        assertEquals("io.jvs:jvs-director:0.1.0-SNAPSHOT", f.id());
        Map<String, Integer> levels = f.bundles().stream()
                .collect(Collectors.toMap(Feature.FeatureBundle::artifactId, Feature.FeatureBundle::startOrder));
        // SLF4J binds to NOP for good if anything logs before SPI Fly has registered logback.
        for (String first : List.of("org.apache.aries.spifly.dynamic.framework.extension", "slf4j-api", "logback-core", "logback-classic")) {
            assertEquals(1, levels.get(first), first);
        }
        for (String second : List.of("org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
                "org.apache.felix.configadmin", "org.apache.felix.scr")) {
            assertEquals(2, levels.get(second), second);
        }
        for (String jvs : List.of("jvs-api", "jvs-sched-classic", "jvs-sched-hashing", "jvs-sched-locality", "jvs-core", "jvs-admin")) {
            assertTrue(levels.get(jvs) >= 3, jvs);
        }
        assertTrue(f.configurations().isEmpty());
    }

    @Test
    void badFeaturesSayWhatIsWrong() {
        assertError("{\"id\": \"a:b:1\", \"bundles\": []}", "f.json: the feature has no \"feature-resource-version\"");
        assertError(header("2.0", "a:b:1") + "\"bundles\": []}", "f.json: \"feature-resource-version\" is \"2.0\", only \"1.0\" is supported");
        assertError(header("1.0", "a:b") + "\"bundles\": []}", "f.json: \"id\" of the feature: \"a:b\" is not Maven coordinates group:artifact:version");
        assertError(header("1.0", "a:b:1") + "\"bundle\": []}", "f.json: unknown key \"bundle\" (allowed: [bundles, categories, complete, configurations, description, docURL, extensions, feature-resource-version, id, license, name, scm, variables, vendor])");
        assertError(header("1.0", "a:b:1") + "\"bundles\": []}", "f.json: \"bundles\" is empty");
        assertError(header("1.0", "a:b:1").replaceAll(",\\s*$", "}"), "f.json: missing \"bundles\"");
        assertError(header("1.0", "a:b:1") + "\"bundles\": {}}", "f.json: \"bundles\" must be an array, found an object");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [\"g:a:1\"]}", "f.json: bundles[0] must be an object {\"id\": ..., \"start-order\": ...}, found a string");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"start-order\": 1}]}", "f.json: bundles[0] has no \"id\"");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\"}]}", "f.json: bundles[0] (g:a:1) has no \"start-order\"");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 0}]}", "f.json: bundles[0] (g:a:1): \"start-order\" must be an integer from 1 to 1000, found 0");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": \"2\"}]}", "f.json: bundles[0] (g:a:1): \"start-order\" must be an integer from 1 to 1000, found 2");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:zip:1\", \"start-order\": 1}]}", "f.json: bundles[0] (g:a:zip:1): type \"zip\" in \"g:a:zip:1\" is not supported, bundles are jars");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a: 1\", \"start-order\": 1}]}", "f.json: bundles[0] (g:a: 1): \"g:a: 1\" is not Maven coordinates group:artifact:version (empty or padded part)");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 1}, {\"id\": \"g:a:2\", \"start-order\": 1}]}", "f.json: bundles[1] (g:a:2): g:a is listed twice");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 1}, {\"id\": \"h:a:1\", \"start-order\": 1}]}", "f.json: bundles[1] (h:a:1): another bundle has the same file name a-1.jar");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 1}], \"variables\": {\"v\": 1}}", "f.json: \"variables\" are not supported by the JVS launcher; remove them");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 1}], \"configurations\": []}", "f.json: \"configurations\" must be an object (PID to properties), found an array");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 1}], \"configurations\": {\"p\": {\"port:Integer\": \"80\"}}}", "f.json: configurations[\"p\"]: property \"port\": a string is not a valid Integer");
        assertError(header("1.0", "a:b:1") + "\"bundles\": [{\"id\": \"g:a:1\", \"start-order\": 1}], \"configurations\": {\"f~\": {}}}", "f.json: configurations[\"f~\"]: a PID must be \"pid\" or \"factoryPid~name\"");
        assertError("[]", "f.json: a feature must be a JSON object, found an array");
        assertError("{\"id\": ", "f.json: invalid JSON: line 1, column 8: unexpected end of input, expected a value");
    }

    @Test
    void convertsTypedConfigurationValues() {
        assertEquals(80, FeatureConfigurations.convert("port:Integer", 80L));
        assertEquals((short) 7, FeatureConfigurations.convert("s:Short", 7L));
        assertEquals(2.5f, FeatureConfigurations.convert("f:Float", 2.5));
        assertEquals(3.0, FeatureConfigurations.convert("d:Double", 3L));
        assertEquals('x', FeatureConfigurations.convert("c:Character", "x"));
        assertEquals("plain", FeatureConfigurations.convert("s", "plain"));
        assertEquals(5L, FeatureConfigurations.convert("n", 5L));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) FeatureConfigurations.convert("l", List.of("a", "b")));
        assertArrayEquals(new Integer[] {1, 2}, (Integer[]) FeatureConfigurations.convert("l:Integer[]", List.of(1L, 2L)));
        assertConvertError("p:Integer", 1L << 40, "property \"p\": 1099511627776 is out of range for Integer");
        assertConvertError("p:Int", 1L, "property \"p\": unknown type \"Int\" (String, Integer, Long, Float, Double, Short, Byte, Character, Boolean, or an array of them)");
        assertConvertError("p:String[]", "a", "property \"p\" is typed String[] but its value is not an array");
        assertConvertError("p", List.of("a", 1L), "property \"p\": an untyped array must hold scalars of one type; type the key, e.g. \"p:String[]\"");
        assertConvertError("p", Map.of(), "property \"p\" is an object; ConfigAdmin properties are scalars or arrays");
        assertConvertError("p", null, "property \"p\" is null (ConfigAdmin has no null values)");
    }

    private static String header(String version, String id) {
        return "{\"feature-resource-version\": \"" + version + "\", \"id\": \"" + id + "\", ";
    }

    private static void assertError(String json, String message) {
        Feature.FeatureException e = assertThrows(Feature.FeatureException.class, () -> Feature.parse("f.json", json), json);
        assertEquals(message, e.getMessage(), json);
    }

    private static void assertConvertError(String key, Object value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureConfigurations.convert(key, value));
        assertEquals(message, e.getMessage());
    }
}
