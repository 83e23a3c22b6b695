package io.jvs.admin.control;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code jvsadm}, the command-line client: sends its arguments (and, for {@code -R}, standard input) to the
 * appliance's control socket and prints what the appliance answers, with its exit code. All parsing and
 * formatting happens in the appliance, so the client starts fast and stays in step with the server.
 * Plain Java, no OSGi: it runs from the admin bundle's jar on a class path.
 */
public final class Jvsadm {
    /** Where the control socket is unless {@code JVS_SOCKET} says otherwise. */
    public static final String DEFAULT_SOCKET = "/run/jvs/jvs.sock";

    private Jvsadm() {
    }

    public static void main(final String[] args) {
        System.exit(run(socketPath(), Arrays.asList(args)));
    }

    static Path socketPath() {
        final String env = System.getenv("JVS_SOCKET");
        return Path.of(env == null || env.isEmpty() ? DEFAULT_SOCKET : env);
    }

    static int run(final Path socket, final List<String> argv) {
        try {
            final byte[] stdin = readsStdin(argv) ? System.in.readAllBytes() : new byte[0];
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch)));
                ControlProtocol.writeRequest(out, argv, stdin);
                final ControlProtocol.Response r =
                        ControlProtocol.readResponse(new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch))));
                if (r.version() != ControlProtocol.VERSION) {
                    System.err.println(ControlProtocol.versionMismatch(r.version()));
                    return ControlProtocol.EXIT_USAGE;
                }
                write(FileDescriptor.out, r.stdout());
                write(FileDescriptor.err, r.stderr());
                return r.exitCode();
            }
        } catch (final IOException e) {
            // ipvsadm's words when it cannot reach IPVS, and its exit code (fail(2, ...)).
            System.err.println("Can't initialize ipvs: " + describe(e) + " (" + socket + ")");
            System.err.println("Are you sure that the JVS appliance is running (bin/jvs start) and JVS_SOCKET is right?");
            return ControlProtocol.EXIT_USAGE;
        }
    }

    /** Only {@code -R} reads standard input; anything else must not block on a terminal. */
    static boolean readsStdin(final List<String> argv) {
        for (final String a : argv) {
            if (a.equals("--restore") || a.startsWith("-") && !a.startsWith("--") && a.indexOf('R') > 0
                    && a.chars().skip(1).allMatch(Character::isLetter)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(final IOException e) {
        final String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void write(final FileDescriptor fd, final byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            @SuppressWarnings("resource") // the process's own descriptor: flushed, never closed
            final FileOutputStream s = new FileOutputStream(fd);
            s.write(bytes);
            s.flush();
        }
    }
}
