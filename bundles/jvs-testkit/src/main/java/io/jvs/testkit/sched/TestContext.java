package io.jvs.testkit.sched;

import java.util.concurrent.ThreadLocalRandom;

import io.jvs.api.sched.SchedulerContext;

/** Scheduler context for tests: settable flags and clock; random numbers from a script, else ThreadLocalRandom. */
public final class TestContext implements SchedulerContext {
    public volatile int flags;
    public volatile long now;
    private int[] script = new int[0];
    private int next;

    public TestContext flags(final int value) {
        flags = value;
        return this;
    }

    /** The next calls to {@link #nextRandom()} return these values, in order. */
    public synchronized TestContext randoms(final int... values) {
        script = values.clone();
        next = 0;
        return this;
    }

    @Override
    public int schedFlags() {
        return flags;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public synchronized int nextRandom() {
        return next < script.length ? script[next++] : ThreadLocalRandom.current().nextInt();
    }
}
