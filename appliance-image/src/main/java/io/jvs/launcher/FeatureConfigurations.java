package io.jvs.launcher;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a feature's {@code configurations} into ConfigurationAdmin the moment its service is
 * registered, i.e. while the framework is still at ConfigAdmin's start level and before the
 * bundles of higher levels (our components) start. The launcher lives outside the framework and
 * does not import {@code org.osgi.service.cm}; it calls the service through the interfaces
 * loaded from the ConfigAdmin bundle.
 *
 * <p>Property keys may carry a type as in the OSGi Configurator format: {@code "port:Integer"},
 * {@code "hosts:String[]"}. Types: String, Integer, Long, Float, Double, Short, Byte, Character,
 * Boolean, and arrays of them. Untyped values keep their JSON type: string, Long, Double,
 * Boolean, or an array of one of those.
 */
final class FeatureConfigurations implements ServiceListener {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureConfigurations.class);
    private static final String CM = "org.osgi.service.cm.ConfigurationAdmin";

    private final BundleContext context;
    private final Map<String, Map<String, Object>> configurations;
    private final AtomicReference<String> error = new AtomicReference<>();
    private volatile boolean applied;

    FeatureConfigurations(BundleContext context, Map<String, Map<String, Object>> configurations) {
        this.context = context;
        this.configurations = configurations;
    }

    /** Listens for ConfigurationAdmin; call before the framework starts. */
    void register() {
        if (configurations.isEmpty()) {
            applied = true;
            return;
        }
        try {
            context.addServiceListener(this, "(objectClass=" + CM + ")");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when every configuration was applied, otherwise what went wrong. */
    String problem() {
        if (error.get() != null) return error.get();
        if (!applied) return "the feature has configurations but no ConfigurationAdmin service was registered";
        return null;
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() != ServiceEvent.REGISTERED || applied) {
            return;
        }
        context.removeServiceListener(this);
        ServiceReference<?> ref = event.getServiceReference();
        Object admin = context.getService(ref);
        try {
            Bundle cmBundle = ref.getBundle();
            Class<?> adminType = cmBundle.loadClass(CM);
            Class<?> configType = cmBundle.loadClass("org.osgi.service.cm.Configuration");
            Method get = adminType.getMethod("getConfiguration", String.class, String.class);
            Method getFactory = adminType.getMethod("getFactoryConfiguration", String.class, String.class, String.class);
            Method update = configType.getMethod("update", Dictionary.class);
            for (Map.Entry<String, Map<String, Object>> e : configurations.entrySet()) {
                String pid = e.getKey();
                int tilde = pid.indexOf('~');
                Object config = tilde < 0
                        ? get.invoke(admin, pid, "?")
                        : getFactory.invoke(admin, pid.substring(0, tilde), pid.substring(tilde + 1), "?");
                Hashtable<String, Object> props = new Hashtable<>();
                for (Map.Entry<String, Object> p : e.getValue().entrySet()) {
                    int colon = p.getKey().indexOf(':');
                    props.put(colon < 0 ? p.getKey() : p.getKey().substring(0, colon), convert(p.getKey(), p.getValue()));
                }
                update.invoke(config, props);
                LOG.info("configuration {} applied ({} properties)", pid, props.size());
            }
            applied = true;
        } catch (InvocationTargetException e) {
            error.set("applying configurations failed: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            error.set("applying configurations failed: " + e);
        } finally {
            context.ungetService(ref);
        }
    }

    /** Converts one JSON property value according to the type suffix of its key; throws with a clear message. */
    static Object convert(String key, Object value) {
        int colon = key.indexOf(':');
        String name = colon < 0 ? key : key.substring(0, colon);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty property name in \"" + key + "\"");
        }
        if (value == null) {
            throw new IllegalArgumentException("property \"" + name + "\" is null (ConfigAdmin has no null values)");
        }
        if (colon < 0) {
            if (value instanceof List) {
                List<?> list = (List<?>) value;
                if (list.isEmpty()) return new String[0];
                Class<?> type = list.get(0) == null ? null : list.get(0).getClass();
                for (Object item : list) {
                    if (item == null || item.getClass() != type || item instanceof Map || item instanceof List) {
                        throw new IllegalArgumentException("property \"" + name + "\": an untyped array must hold scalars of one type; type the key, e.g. \"" + name + ":String[]\"");
                    }
                }
                return list.toArray((Object[]) Array.newInstance(type, 0));
            }
            if (value instanceof Map) {
                throw new IllegalArgumentException("property \"" + name + "\" is an object; ConfigAdmin properties are scalars or arrays");
            }
            return value;
        }
        String type = key.substring(colon + 1);
        if (type.endsWith("[]")) {
            String element = type.substring(0, type.length() - 2);
            if (!(value instanceof List)) {
                throw new IllegalArgumentException("property \"" + name + "\" is typed " + type + " but its value is not an array");
            }
            List<?> list = (List<?>) value;
            Object array = Array.newInstance(scalarClass(name, element), list.size());
            for (int i = 0; i < list.size(); i++) {
                Array.set(array, i, scalar(name, element, list.get(i)));
            }
            return array;
        }
        return scalar(name, type, value);
    }

    private static Class<?> scalarClass(String name, String type) {
        switch (type) {
            case "String": return String.class;
            case "Integer": return Integer.class;
            case "Long": return Long.class;
            case "Float": return Float.class;
            case "Double": return Double.class;
            case "Short": return Short.class;
            case "Byte": return Byte.class;
            case "Character": return Character.class;
            case "Boolean": return Boolean.class;
            default:
                throw new IllegalArgumentException("property \"" + name + "\": unknown type \"" + type
                        + "\" (String, Integer, Long, Float, Double, Short, Byte, Character, Boolean, or an array of them)");
        }
    }

    private static Object scalar(String name, String type, Object value) {
        Class<?> target = scalarClass(name, type);
        String bad = "property \"" + name + "\": " + Feature.kind(value) + " is not a valid " + type;
        if (target == String.class) {
            if (value instanceof String) return value;
            throw new IllegalArgumentException(bad);
        }
        if (target == Boolean.class) {
            if (value instanceof Boolean) return value;
            throw new IllegalArgumentException(bad);
        }
        if (target == Character.class) {
            if (value instanceof String && ((String) value).length() == 1) return ((String) value).charAt(0);
            throw new IllegalArgumentException(bad);
        }
        if (target == Float.class || target == Double.class) {
            if (!(value instanceof Number)) throw new IllegalArgumentException(bad);
            double d = ((Number) value).doubleValue();
            return target == Float.class ? (Object) (float) d : (Object) d;
        }
        if (!(value instanceof Long)) throw new IllegalArgumentException(bad);
        long l = (Long) value;
        if (target == Long.class) return l;
        if (target == Integer.class && l == (int) l) return (int) l;
        if (target == Short.class && l == (short) l) return (short) l;
        if (target == Byte.class && l == (byte) l) return (byte) l;
        throw new IllegalArgumentException("property \"" + name + "\": " + l + " is out of range for " + type);
    }
}
