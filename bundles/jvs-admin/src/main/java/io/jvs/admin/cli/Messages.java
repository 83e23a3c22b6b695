package io.jvs.admin.cli;

import io.jvs.api.TableCommand;
import io.jvs.api.TableException;

/**
 * What ipvsadm prints when the kernel refuses a command: libipvs's {@code ipvs_strerror} table, keyed by the
 * operation and the errno the refusal corresponds to, falling back to the C library's {@code strerror}.
 */
final class Messages {
    static final String NO_SUCH_SERVICE = "No such service";
    static final String SCHEDULER_OR_PE_NOT_FOUND = "Scheduler or persistence engine not found";
    static final String INVALID =
            "Invalid operation.  Possibly wrong module version, address not unicast, ...";

    private Messages() {
    }

    /** The errno a refusal stands for. */
    private enum Errno {
        EEXIST("File exists"),
        ESRCH("No such process"),
        ENOENT("No such file or directory"),
        EINVAL(INVALID),
        ERANGE("Numerical result out of range"),
        ENODEV("No such device");

        private final String text;

        Errno(final String text) {
            this.text = text;
        }
    }

    static String of(final TableCommand command, final TableException e) {
        final Errno errno = switch (e.reason()) {
            case EXISTS, DAEMON_RUNNING -> Errno.EEXIST;
            case NO_SERVICE, NO_DAEMON -> Errno.ESRCH;
            case NO_DESTINATION, NO_SCHEDULER -> Errno.ENOENT;
            case OUT_OF_RANGE -> Errno.ERANGE;
            case NO_DEVICE -> Errno.ENODEV;
            // A reason added to the model later reads as the kernel's generic refusal.
            default -> Errno.EINVAL;
        };
        final String specific = specific(command, errno);
        return specific != null ? specific : errno.text;
    }

    private static String specific(final TableCommand command, final Errno errno) {
        if (command instanceof TableCommand.AddService) {
            return errno == Errno.EEXIST ? "Service already exists"
                    : errno == Errno.ENOENT ? SCHEDULER_OR_PE_NOT_FOUND : null;
        }
        if (command instanceof TableCommand.EditService) {
            return errno == Errno.ESRCH ? NO_SUCH_SERVICE
                    : errno == Errno.ENOENT ? SCHEDULER_OR_PE_NOT_FOUND : null;
        }
        if (command instanceof TableCommand.DeleteService || command instanceof TableCommand.Zero) {
            return errno == Errno.ESRCH ? NO_SUCH_SERVICE : null;
        }
        if (command instanceof TableCommand.AddDestination) {
            return errno == Errno.ESRCH ? "Service not defined"
                    : errno == Errno.EEXIST ? "Destination already exists" : null;
        }
        if (command instanceof TableCommand.EditDestination || command instanceof TableCommand.DeleteDestination) {
            return errno == Errno.ESRCH ? "Service not defined"
                    : errno == Errno.ENOENT ? "No such destination" : null;
        }
        if (command instanceof TableCommand.StartDaemon) {
            return errno == Errno.EEXIST ? "Daemon has already run" : null;
        }
        if (command instanceof TableCommand.StopDaemon) {
            return errno == Errno.ESRCH ? "No daemon is running" : null;
        }
        return null;
    }
}
