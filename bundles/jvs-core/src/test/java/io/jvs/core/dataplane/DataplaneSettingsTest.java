package io.jvs.core.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/** The data-plane settings as the appliance reads them: framework (or system) properties jvs.dataplane.*. */
class DataplaneSettingsTest {
    private static BundleContext context(final Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static DataplaneSettings read(final Map<String, String> properties) {
        return DataplaneComponent.settings(context(properties));
    }

    @Test
    void defaultsAreOneHashedWorkerThatNapsFiftyMicroseconds() {
        final DataplaneSettings s = read(Map.of());
        assertEquals(DataplaneSettings.DEFAULTS, s);
        assertEquals(1, s.queues());
        assertFalse(s.fanoutCpu());
        assertEquals(50, s.napMicros());
    }

    @Test
    void readsFanoutAndNap() {
        final DataplaneSettings s = read(Map.of("jvs.dataplane.queues", "2", "jvs.dataplane.fanout", " cpu ",
                "jvs.dataplane.nap_us", "0"));
        assertEquals(2, s.queues());
        assertTrue(s.fanoutCpu());
        assertEquals(0, s.napMicros());
        assertFalse(read(Map.of("jvs.dataplane.fanout", "hash")).fanoutCpu());
    }

    @Test
    void readsConnReuseModeAsTheKernelsBitmap() {
        assertEquals(1, read(Map.of()).connReuseMode(), "IPVS's default");
        assertEquals(3, read(Map.of("jvs.dataplane.conn_reuse_mode", "3")).connReuseMode());
        assertEquals(0, read(Map.of("jvs.dataplane.conn_reuse_mode", "0")).connReuseMode());
    }

    @Test
    void rejectsWhatItCannotUseWithTheSettingsName() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("jvs.dataplane.fanout", "roundrobin"))).getMessage()
                .contains("jvs.dataplane.fanout must be hash or cpu"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("jvs.dataplane.nap_us", "-1"))).getMessage().contains("nap_us"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("jvs.dataplane.nap_us", "20000"))).getMessage().contains("at most 10000"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("jvs.dataplane.nap_us", "fast"))).getMessage().contains("is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> read(Map.of("jvs.dataplane.conn_reuse_mode", "4"))).getMessage().contains("conn_reuse_mode"));
    }
}
