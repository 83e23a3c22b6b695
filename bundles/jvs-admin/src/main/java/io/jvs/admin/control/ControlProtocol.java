package io.jvs.admin.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of the control socket, our netlink: one request, one response per connection.
 * <pre>
 * request : magic "JVSC" | u16 version | u16 argc | argc x (u32 length, UTF-8 bytes) | u32 length, stdin bytes
 * response: magic "JVSC" | u16 version | s32 exit code | u32 length, stdout bytes | u32 length, stderr bytes
 * </pre>
 * Both sides check the version; a peer of another version gets a clear error, never a garbled answer.
 */
public final class ControlProtocol {
    public static final int MAGIC = 0x4a565343; // "JVSC"
    public static final int VERSION = 1;
    static final int MAX_ARGS = 4096;
    static final int MAX_ARG_BYTES = 1 << 16;
    static final int MAX_STDIN_BYTES = 1 << 28;
    /** Exit code for usage and protocol errors, as ipvsadm uses for argument errors. */
    public static final int EXIT_USAGE = 2;

    private ControlProtocol() {
    }

    /** A decoded request. */
    public record Request(int version, List<String> argv, byte[] stdin) {
    }

    /** A decoded response. */
    public record Response(int version, int exitCode, byte[] stdout, byte[] stderr) {
    }

    public static void writeRequest(final DataOutputStream out, final List<String> argv, final byte[] stdin)
            throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeShort(argv.size());
        for (final String a : argv) {
            writeBytes(out, a.getBytes(StandardCharsets.UTF_8));
        }
        writeBytes(out, stdin);
        out.flush();
    }

    /**
     * Reads a request. A request of another version is returned with its version and no body (the
     * body's layout is that version's business); the caller answers with an error.
     */
    public static Request readRequest(final DataInputStream in) throws IOException {
        checkMagic(in.readInt());
        final int version = in.readUnsignedShort();
        if (version != VERSION) {
            return new Request(version, List.of(), new byte[0]);
        }
        final int argc = in.readUnsignedShort();
        if (argc > MAX_ARGS) {
            throw new IOException("too many arguments: " + argc);
        }
        final List<String> argv = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            argv.add(new String(readBytes(in, MAX_ARG_BYTES), StandardCharsets.UTF_8));
        }
        return new Request(version, argv, readBytes(in, MAX_STDIN_BYTES));
    }

    public static void writeResponse(final DataOutputStream out, final int exitCode, final byte[] stdout,
                                     final byte[] stderr) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeInt(exitCode);
        writeBytes(out, stdout);
        writeBytes(out, stderr);
        out.flush();
    }

    public static Response readResponse(final DataInputStream in) throws IOException {
        checkMagic(in.readInt());
        final int version = in.readUnsignedShort();
        if (version != VERSION) {
            return new Response(version, EXIT_USAGE, new byte[0], new byte[0]);
        }
        final int exit = in.readInt();
        return new Response(version, exit, readBytes(in, Integer.MAX_VALUE), readBytes(in, Integer.MAX_VALUE));
    }

    /** What either side says when the peer speaks another version. */
    public static String versionMismatch(final int theirs) {
        return "jvsadm: control protocol version " + theirs + " is not supported by this side (it speaks version "
                + VERSION + "); use the jvsadm of the same JVS release as the appliance";
    }

    private static void checkMagic(final int magic) throws IOException {
        if (magic != MAGIC) {
            throw new IOException("not a JVS control socket peer (bad magic 0x" + Integer.toHexString(magic) + ")");
        }
    }

    private static void writeBytes(final DataOutputStream out, final byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(final DataInputStream in, final int max) throws IOException {
        final int n = in.readInt();
        if (n < 0 || n > max) {
            throw new IOException("field length " + Integer.toUnsignedString(n) + " exceeds the limit of " + max);
        }
        final byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
