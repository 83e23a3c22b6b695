package io.jvs.admin.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jvs.admin.AdminService;
import io.jvs.api.VirtualServerTable;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dir;

    /** Echoes its arguments and standard input; exit code = number of arguments. */
    private static final AdminService ECHO = new AdminService() {
        @Override
        public int execute(final List<String> argv, final InputStream stdin, final PrintStream out,
                           final PrintStream err) {
            out.print(String.join("|", argv));
            try {
                err.print(new String(stdin.readAllBytes(), StandardCharsets.UTF_8));
            } catch (final IOException e) {
                throw new IllegalStateException(e);
            }
            return argv.size();
        }

        @Override
        public VirtualServerTable table() {
            throw new UnsupportedOperationException("not used by the control socket");
        }
    };

    @Test
    void shouldServeRequestsOnAPrivateSocket() throws Exception {
        final Path sock = dir.resolve("run/jvs.sock");
        try (ControlServer s = ControlServer.start(sock, ECHO)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            final ControlProtocol.Response r = call(sock, List.of("-A", "-t", "10.0.0.1:80"), "stdin text");
            assertEquals(3, r.exitCode());
            assertEquals("-A|-t|10.0.0.1:80", new String(r.stdout(), StandardCharsets.UTF_8));
            assertEquals("stdin text", new String(r.stderr(), StandardCharsets.UTF_8));
        }
        assertTrue(Files.notExists(sock), "socket file removed on close");
    }

    @Test
    void shouldAnswerAnotherProtocolVersionWithAClearError() throws Exception {
        final Path sock = dir.resolve("jvs.sock");
        try (ControlServer s = ControlServer.start(sock, ECHO);
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            final DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
            out.writeInt(ControlProtocol.MAGIC);
            out.writeShort(ControlProtocol.VERSION + 1);
            out.flush();
            final DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
            final ControlProtocol.Response r = ControlProtocol.readResponse(in);
            assertEquals(ControlProtocol.EXIT_USAGE, r.exitCode());
            assertTrue(new String(r.stderr(), StandardCharsets.UTF_8).contains("version 2 is not supported"));
        }
    }

    @Test
    void shouldSurviveGarbageAndKeepServing() throws Exception {
        final Path sock = dir.resolve("jvs.sock");
        try (ControlServer s = ControlServer.start(sock, ECHO)) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                ch.write(java.nio.ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                ch.shutdownOutput();
                assertEquals(-1, ch.read(java.nio.ByteBuffer.allocate(16)), "garbage gets the connection closed");
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(sock));
                final DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
                out.writeInt(ControlProtocol.MAGIC);
                out.writeShort(ControlProtocol.VERSION);
                out.writeShort(1);
                out.writeInt(-5);
                out.flush();
                ch.shutdownOutput();
                assertEquals(-1, ch.read(java.nio.ByteBuffer.allocate(16)), "a negative length is refused");
            }
            assertEquals(1, call(sock, List.of("-Ln"), "").exitCode(), "still serving afterwards");
        }
    }

    @Test
    void shouldRefuseToStealTheSocketOfALiveApplianceButReplaceAStaleOne() throws Exception {
        final Path sock = dir.resolve("jvs.sock");
        try (ControlServer s = ControlServer.start(sock, ECHO)) {
            assertThrows(IOException.class, () -> ControlServer.start(sock, ECHO));
        }
        Files.createFile(sock);
        try (ControlServer s = ControlServer.start(sock, ECHO)) {
            assertEquals(0, call(sock, List.of(), "").exitCode());
        }
    }

    @Test
    void shouldLetTheClientReportAnUnreachableAppliance() {
        assertEquals(2, Jvsadm.run(dir.resolve("absent.sock"), List.of("-Ln")));
        assertTrue(Jvsadm.readsStdin(List.of("-R")));
        assertTrue(Jvsadm.readsStdin(List.of("--restore")));
        assertTrue(!Jvsadm.readsStdin(List.of("-Ln", "--rate")));
    }

    private static ControlProtocol.Response call(final Path sock, final List<String> argv, final String stdin)
            throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(sock));
            ControlProtocol.writeRequest(new DataOutputStream(Channels.newOutputStream(ch)), argv,
                    stdin.getBytes(StandardCharsets.UTF_8));
            return ControlProtocol.readResponse(new DataInputStream(Channels.newInputStream(ch)));
        }
    }
}
