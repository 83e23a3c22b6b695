package io.jvs.itests.osgi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundles of an OSGi Feature JSON file (OSGi R8 chapter 159): {@code id} = group:artifact:version and
 * {@code start-order}. A small JSON reader of its own, so the test does not trust the launcher's reader to
 * check the launcher.
 */
final class FeatureFile {

    /** One bundle of the feature. */
    record FeatureBundle(String groupId, String artifactId, String version, int startOrder) {
        String id() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    private FeatureFile() {
    }

    /** The feature's bundles in start order (stable: equal orders keep the file's order). */
    static List<FeatureBundle> bundles(final Path file) throws IOException {
        final Object root = new Reader(Files.readString(file, StandardCharsets.UTF_8)).document();
        if (!(root instanceof Map<?, ?> feature) || !(feature.get("bundles") instanceof List<?> list)) {
            throw new IOException(file + ": not a feature (no \"bundles\" array)");
        }
        final List<FeatureBundle> out = new ArrayList<>();
        for (final Object o : list) {
            if (!(o instanceof Map<?, ?> b) || !(b.get("id") instanceof String id)) {
                throw new IOException(file + ": bundle entry without an \"id\": " + o);
            }
            final String[] gav = id.split(":");
            if (gav.length != 3) {
                throw new IOException(file + ": bundle id is not group:artifact:version: " + id);
            }
            final Object order = b.get("start-order");
            final int startOrder = order == null ? 1 : ((Number) order).intValue();
            out.add(new FeatureBundle(gav[0], gav[1], gav[2], startOrder));
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": the feature lists no bundles");
        }
        out.sort(Comparator.comparingInt(FeatureBundle::startOrder));
        return out;
    }

    /** Just enough JSON: objects, arrays, strings, numbers, true/false/null. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(final String s) {
            this.s = s;
        }

        Object document() throws IOException {
            final Object v = value();
            skip();
            if (i != s.length()) {
                throw error("trailing text");
            }
            return v;
        }

        private Object value() throws IOException {
            skip();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            final char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        }

        private Map<String, Object> object() throws IOException {
            final Map<String, Object> m = new LinkedHashMap<>();
            i++;
            skip();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                skip();
                final String key = string();
                skip();
                expect(':');
                m.put(key, value());
                skip();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() throws IOException {
            final List<Object> l = new ArrayList<>();
            i++;
            skip();
            if (peek() == ']') {
                i++;
                return l;
            }
            while (true) {
                l.add(value());
                skip();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() throws IOException {
            expect('"');
            final StringBuilder b = new StringBuilder();
            while (i < s.length()) {
                final char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    final char e = s.charAt(i++);
                    switch (e) {
                        case 'n': b.append('\n'); break;
                        case 't': b.append('\t'); break;
                        case 'r': b.append('\r'); break;
                        case 'b': b.append('\b'); break;
                        case 'f': b.append('\f'); break;
                        case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                        default: b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw error("unterminated string");
        }

        private Number number() throws IOException {
            final int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            final String t = s.substring(start, i);
            return t.matches("-?\\d+") ? (Number) Long.valueOf(t) : (Number) Double.valueOf(t);
        }

        private Object literal(final String word, final Object v) throws IOException {
            if (!s.startsWith(word, i)) {
                throw error("expected " + word);
            }
            i += word.length();
            return v;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(final char c) throws IOException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private IOException error(final String what) {
            return new IOException("feature JSON: " + what + " at offset " + i);
        }
    }
}
