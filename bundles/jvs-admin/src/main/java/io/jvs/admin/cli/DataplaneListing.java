package io.jvs.admin.cli;

import io.jvs.api.DataplaneStatus;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code jvsadm --jvs dataplane} ({@code bin/jvs dataplane}): the packet core's interfaces and counters, one
 * {@code name value} pair a line, every counter even when 0, so scripts can rely on the names.
 */
public final class DataplaneListing {
    private DataplaneListing() {
    }

    /** Prints {@code status}, or says that no data plane runs; returns the exit code. */
    public static int print(final DataplaneStatus status, final PrintStream out, final PrintStream err) {
        if (status == null) {
            err.println("No data plane is running (start the appliance with bin/jvs start --dataplane IF[,IF...])");
            return 1;
        }
        final Map<String, Long> counters = status.counters();
        final StringBuilder b = new StringBuilder();
        b.append("Data plane on ").append(String.join(",", status.interfaces())).append(", ").append(status.workers())
                .append(status.workers() == 1 ? " worker" : " workers").append('\n');
        for (final Map.Entry<String, Long> e : counters.entrySet()) {
            b.append(String.format("%-24s %d%n", e.getKey(), e.getValue()));
        }
        out.print(b);
        return 0;
    }
}
