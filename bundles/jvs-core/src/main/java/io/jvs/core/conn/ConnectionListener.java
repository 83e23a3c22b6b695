package io.jvs.core.conn;

import io.jvs.core.svc.DestinationState;

/** Told when a connection or template leaves the {@link ConnectionTable}, under the table's lock: keep it short. */
@FunctionalInterface
public interface ConnectionListener {
    /**
     * @param owner the realserver it was bound to
     * @param flags its flags ({@link ConnectionTable#F_TEMPLATE}, {@link ConnectionTable#F_INACTIVE}, ...)
     * @param state its last state code
     */
    void removed(DestinationState owner, int flags, int state);

    /** Gives back what binding took: the realserver's connection count (or template count) and overload flag. */
    ConnectionListener UNBIND = (owner, flags, state) -> {
        if ((flags & ConnectionTable.F_TEMPLATE) != 0) {
            owner.templateBound(false);
        } else {
            owner.unbind((flags & ConnectionTable.F_INACTIVE) == 0);
        }
    };
}
