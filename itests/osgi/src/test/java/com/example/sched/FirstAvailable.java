package com.example.sched;

import io.jvs.api.sched.Flow;
import io.jvs.api.sched.RealServer;
import io.jvs.api.sched.Scheduler;
import io.jvs.api.sched.SchedulerContext;
import io.jvs.api.sched.ServiceScheduler;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** "first": every new connection to the first realserver in list order that is neither quiescent nor overloaded. */
@Component(property = Scheduler.PROPERTY + "=first")
public final class FirstAvailable implements Scheduler {
    @Override
    public String name() {
        return "first";
    }

    @Override
    public ServiceScheduler create(final SchedulerContext context) {
        return new ServiceScheduler() {
            private volatile RealServer[] dests = new RealServer[0];

            @Override
            public void update(final List<? extends RealServer> destinations) {
                dests = destinations.toArray(new RealServer[0]);     // newest first, as IPVS lists them
            }

            @Override
            public RealServer schedule(final Flow flow) {
                for (final RealServer dest : dests) {                // one volatile read, no allocation
                    if (dest.weight() > 0 && !dest.isOverloaded()) {
                        return dest;
                    }
                }
                return null;                                         // "no destination available"
            }
        };
    }
}
