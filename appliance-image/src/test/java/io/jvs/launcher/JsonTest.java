package io.jvs.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsEveryValueKind() throws Exception {
        Object value = Json.parse(" {\"s\": \"a\\\"b\\\\c\\/\\n\\u00e9\", \"i\": -12, \"d\": 1.5e2, \"z\": 0,"
                + " \"t\": true, \"f\": false, \"n\": null, \"a\": [1, \"x\", [], {}], \"o\": {\"k\": \"v\"}}\n");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals("a\"b\\c/\né", map.get("s"));
        assertEquals(-12L, map.get("i"));
        assertEquals(150.0, map.get("d"));
        assertEquals(0L, map.get("z"));
        assertEquals(Boolean.TRUE, map.get("t"));
        assertEquals(Boolean.FALSE, map.get("f"));
        assertNull(map.get("n"));
        assertEquals(List.of(1L, "x", List.of(), Map.of()), map.get("a"));
        assertEquals(Map.of("k", "v"), map.get("o"));
        assertEquals(List.of("s", "i", "d", "z", "t", "f", "n", "a", "o"), List.copyOf(map.keySet()), "keeps key order");
    }

    @Test
    void hugeIntegerBecomesDouble() throws Exception {
        assertEquals(1e20, Json.parse("100000000000000000000"));
    }

    @Test
    void errorsNameLineColumnAndCause() {
        assertError("{\"a\": 1,\n  \"b\" 2}", "line 2, column 7: unexpected '2', expected ':'");
        assertError("{\"a\": 1,}", "line 1, column 9: trailing comma before '}'");
        assertError("[1, 2,]", "line 1, column 7: trailing comma before ']'");
        assertError("{\"a\": 1, \"a\": 2}", "line 1, column 10: duplicate key \"a\"");
        assertError("{\"a\": \"open", "line 1, column 7: unterminated string");
        assertError("{\"a\": tru}", "line 1, column 7: unexpected 't', expected a value");
        assertError("{} x", "line 1, column 4: unexpected 'x' after the end of the JSON value");
        assertError("", "line 1, column 1: unexpected end of input, expected a value");
        assertError("[01]", "line 1, column 3: unexpected '1', expected ',' or ']'");
        assertError("[1.]", "line 1, column 4: invalid number, expected a digit after '.'");
        assertError("[-]", "line 1, column 3: invalid number, expected a digit");
        assertError("\"a\\x\"", "line 1, column 3: invalid escape \"\\x\"");
        assertError("\"\\u12G4\"", "line 1, column 4: invalid \\u escape \"\\u12G4\"");
        assertError("\"a\tb\"", "line 1, column 3: control character U+0009 in string (escape it)");
        assertError("{1: 2}", "line 1, column 2: unexpected '1', expected a string key");
        assertError("// comment\n{}", "line 1, column 1: unexpected '/', expected a value");
        assertError("[".repeat(65), "line 1, column 65: nesting deeper than 64 levels");
    }

    private static void assertError(String json, String message) {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(json), json);
        assertEquals(message, e.getMessage(), json);
    }
}
