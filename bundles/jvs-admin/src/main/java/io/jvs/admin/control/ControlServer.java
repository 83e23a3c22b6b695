package io.jvs.admin.control;

import io.jvs.admin.AdminService;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a Unix stream socket, mode 0600, serving {@link ControlProtocol} requests by running
 * them through the {@link AdminService}. One acceptor thread, a few handler threads.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int HANDLERS = 4;

    private final Path path;
    private final AdminService admin;
    private final ServerSocketChannel server;
    private final ExecutorService handlers;
    private final Thread acceptor;

    private ControlServer(final Path path, final AdminService admin, final ServerSocketChannel server) {
        this.path = path;
        this.admin = admin;
        this.server = server;
        this.handlers = new ThreadPoolExecutor(HANDLERS, HANDLERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "jvs-control-handler"));
        this.acceptor = daemon(this::acceptLoop, "jvs-control-acceptor");
    }

    /**
     * Binds the socket and starts serving. A socket file left by a dead appliance is replaced; one that
     * another live appliance answers on is not.
     */
    public static ControlServer start(final Path path, final AdminService admin) throws IOException {
        final Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(path)) {
            if (answers(path)) {
                throw new IOException("another appliance is listening on " + path);
            }
            Files.delete(path);
        }
        // Bind under a temporary name, restrict it, then move it into place: never reachable while open to all.
        final Path tmp = dir.resolve("." + path.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        final ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            ch.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
        final ControlServer s = new ControlServer(path, admin, ch);
        s.acceptor.start();
        LOG.info("Control socket listening on {}", path);
        return s;
    }

    public Path path() {
        return path;
    }

    private static boolean answers(final Path path) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                final SocketChannel client = server.accept();
                try {
                    handlers.execute(() -> serve(client));
                } catch (final java.util.concurrent.RejectedExecutionException e) {
                    client.close(); // closing down: the request arrived too late
                }
            } catch (final ClosedChannelException e) {
                return;
            } catch (final IOException e) {
                LOG.warn("Control socket accept failed: {}", e.toString());
            }
        }
    }

    private void serve(final SocketChannel client) {
        try (client) {
            final DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
            final ControlProtocol.Request req = ControlProtocol.readRequest(in);
            if (req.version() != ControlProtocol.VERSION) {
                ControlProtocol.writeResponse(out, ControlProtocol.EXIT_USAGE, new byte[0],
                        (ControlProtocol.versionMismatch(req.version()) + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            final int exit;
            try (PrintStream o = new PrintStream(stdout, false, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(stderr, false, StandardCharsets.UTF_8)) {
                exit = admin.execute(req.argv(), new ByteArrayInputStream(req.stdin()), o, e);
            }
            ControlProtocol.writeResponse(out, exit, stdout.toByteArray(), stderr.toByteArray());
        } catch (final IOException | RuntimeException e) {
            // A malformed or abandoned request costs its connection only.
            LOG.warn("Control request failed: {}", e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        handlers.shutdown();
        try {
            acceptor.join(2000);
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(path);
        LOG.info("Control socket {} closed", path);
    }

    private static Thread daemon(final Runnable r, final String name) {
        final Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
