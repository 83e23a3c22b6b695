package io.jvs.admin.cli;

import io.jvs.api.ServiceKey;
import io.jvs.api.TableCommand;

/**
 * One parsed ipvsadm command line.
 *
 * @param command the command
 * @param options the option columns given, as bits of {@link Legality}
 * @param format  the printing format flags
 * @param service the service named, or null (listings and zero)
 * @param change  the table change for commands that make one, else null
 */
record Invocation(Command command, long options, int format, ServiceKey service, TableCommand change) {
    boolean has(final int column) {
        return (options & Legality.bit(column)) != 0;
    }
}
