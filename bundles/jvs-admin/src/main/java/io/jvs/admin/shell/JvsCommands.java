package io.jvs.admin.shell;

import io.jvs.admin.AdminService;
import java.util.Arrays;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo shell commands {@code jvs:jvsadm} and {@code jvs:ipvsadm}: the same command language as the
 * {@code jvsadm} tool, typed at the appliance's console ({@code jvsadm -Ln --stats}).
 */
@Component(service = JvsCommands.class, property = {
    "osgi.command.scope=jvs",
    "osgi.command.function=jvsadm",
    "osgi.command.function=ipvsadm"
})
public final class JvsCommands {
    private final AdminService admin;

    @Activate
    public JvsCommands(@Reference final AdminService admin) {
        this.admin = admin;
    }

    /** Runs one jvsadm command; Gogo's session streams stand for the terminal. Returns the exit code. */
    public int jvsadm(final String... args) {
        return admin.execute(Arrays.asList(args), System.in, System.out, System.err);
    }

    /** The ipvsadm spelling of {@link #jvsadm}. */
    public int ipvsadm(final String... args) {
        return jvsadm(args);
    }
}
