package io.jvs.sched.classic;

import io.jvs.api.sched.Scheduler;

/** The schedulers of this bundle by their ipvsadm names, for parameterised tests. */
final class ClassicSchedulers {
    private ClassicSchedulers() {
    }

    static Scheduler byName(final String name) {
        switch (name) {
            case "rr": return new RoundRobin();
            case "wrr": return new WeightedRoundRobin();
            case "lc": return new LeastConnection();
            case "wlc": return new WeightedLeastConnection();
            case "sed": return new ShortestExpectedDelay();
            case "nq": return new NeverQueue();
            case "fo": return new WeightedFailover();
            case "ovf": return new WeightedOverflow();
            case "twos": return new PowerOfTwosChoice();
            default: throw new IllegalArgumentException(name);
        }
    }
}
