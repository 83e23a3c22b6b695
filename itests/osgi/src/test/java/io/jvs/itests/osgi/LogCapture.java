package io.jvs.itests.osgi;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.osgi.framework.Bundle;

/**
 * Records what one logger of the framework's logback receives, so a test can count log lines. Inside the
 * framework only: logback is kept off the driver's class path (pom.xml), so no driver-side code may load this
 * class; test classes use it in method bodies only.
 */
final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Recorder recorder = new Recorder();

    private LogCapture(final Logger logger) {
        this.logger = logger;
        recorder.setContext(logger.getLoggerContext());
        recorder.start();
        logger.addAppender(recorder);
    }

    /**
     * Starts recording logger {@code name} of the logback that {@code bundle}'s SLF4J is bound to (the probe's
     * own {@code org.slf4j} may come from Pax Exam's pax-logging-api instead).
     */
    static LogCapture of(final Bundle bundle, final String name) throws ReflectiveOperationException {
        final Object factory = bundle.loadClass("org.slf4j.LoggerFactory").getMethod("getILoggerFactory").invoke(null);
        return new LogCapture(((LoggerContext) factory).getLogger(name));
    }

    /** Events so far at {@code level} ("WARN", "INFO", ...) whose message contains {@code text}. */
    long count(final String level, final String text) {
        return recorder.events.stream()
                .filter(e -> e.getLevel().toString().equals(level) && e.getFormattedMessage().contains(text))
                .count();
    }

    @Override
    public void close() {
        logger.detachAppender(recorder);
        recorder.stop();
    }

    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(final ILoggingEvent event) {
            events.add(event);
        }
    }
}
