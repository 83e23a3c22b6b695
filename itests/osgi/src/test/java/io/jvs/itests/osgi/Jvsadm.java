package io.jvs.itests.osgi;

import io.jvs.admin.AdminService;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs an ipvsadm argument vector through the {@link AdminService}, as the control socket would. */
final class Jvsadm {
    private Jvsadm() {
    }

    /** Exit status and what was printed. */
    record Result(int exit, String out, String err) {
    }

    static Result run(final AdminService admin, final String... argv) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
             InputStream in = new ByteArrayInputStream(new byte[0])) {
            exit = admin.execute(List.of(argv), in, o, e);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
