package io.jvs.api;

/**
 * A table command was refused. The reason corresponds to the errno the kernel returns, so the
 * administration front end can print ipvsadm's message for it.
 */
public final class TableException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a command was refused (the kernel's errno in brackets). */
    public enum Reason {
        /** The service or destination exists already (EEXIST). */
        EXISTS,
        /** No such service (ESRCH). */
        NO_SERVICE,
        /** No such destination (ENOENT on a destination). */
        NO_DESTINATION,
        /** Scheduler not found (ENOENT on a service). */
        NO_SCHEDULER,
        /** A value the table does not accept (EINVAL). */
        INVALID,
        /** A value out of the accepted range, e.g. lower threshold above upper (ERANGE). */
        OUT_OF_RANGE,
        /** No such interface (ENODEV). */
        NO_DEVICE,
        /** A sync daemon in that state is already running (EEXIST on start). */
        DAEMON_RUNNING,
        /** No sync daemon in that state runs (ESRCH on stop). */
        NO_DAEMON
    }

    private final Reason reason;
    private final int commandIndex;

    public TableException(final Reason reason, final int commandIndex, final String detail) {
        super(detail);
        this.reason = reason;
        this.commandIndex = commandIndex;
    }

    public Reason reason() {
        return reason;
    }

    /** Index, in the applied list, of the command that was refused. */
    public int commandIndex() {
        return commandIndex;
    }
}
