package io.jvs.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes the Felix framework's own log (resolver warnings, bundle errors) to SLF4J, logger {@code org.apache.felix.framework}. */
final class FrameworkLog extends org.apache.felix.framework.Logger {

    private static final Logger LOG = LoggerFactory.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference sr, int level, String msg, Throwable throwable) {
        String text = bundle == null ? msg : "[" + bundle.getSymbolicName() + " " + bundle.getBundleId() + "] " + msg;
        switch (level) {
            case LOG_ERROR: LOG.error(text, throwable); break;
            case LOG_WARNING: LOG.warn(text, throwable); break;
            case LOG_INFO: LOG.info(text, throwable); break;
            default: LOG.debug(text, throwable); break;
        }
    }
}
