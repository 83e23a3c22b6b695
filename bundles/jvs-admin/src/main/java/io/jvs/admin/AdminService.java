package io.jvs.admin;

import io.jvs.api.VirtualServerTable;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The director's administration: ipvsadm's command language over the virtual server table, with every
 * change saved. The control socket ({@code jvsadm}), the Gogo shell and the fleet bundle all call this one
 * implementation.
 */
@org.osgi.annotation.versioning.ProviderType
public interface AdminService {

    /**
     * Runs one ipvsadm invocation.
     *
     * @param argv  the arguments, without the program name ({@code ["-Ln", "--stats"]})
     * @param stdin what {@code -R} reads
     * @param out   standard output of the invocation
     * @param err   standard error of the invocation
     * @return the exit code ipvsadm would return
     */
    int execute(List<String> argv, InputStream stdin, PrintStream out, PrintStream err);

    /** The table, as a view whose changes are saved like those made through {@link #execute}. */
    VirtualServerTable table();
}
