package io.jvs.admin.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The text of a saved table: a header that names the format and carries a SHA-256 of the body, then the
 * body in ipvsadm's restore language (what {@code -S} writes plus {@code --set} and {@code --start-daemon}
 * lines). A file whose digest does not match its body is corrupt, whatever the body looks like.
 * <pre>
 * # JVS virtual server table v1
 * # sha256 0f3a...
 * -A -t 10.0.0.1:80 -s rr
 * ...
 * </pre>
 */
public final class StateFile {
    static final String HEADER = "# JVS virtual server table v1";
    private static final String DIGEST = "# sha256 ";

    private StateFile() {
    }

    /** The file text for a body. */
    public static String wrap(final String body) {
        return HEADER + "\n" + DIGEST + sha256(body) + "\n" + body;
    }

    /**
     * The body of a file text.
     *
     * @throws CorruptStateException when the header or digest is missing or the digest does not match
     */
    public static String unwrap(final String text) throws CorruptStateException {
        if (!text.startsWith(HEADER + "\n")) {
            throw new CorruptStateException("missing header '" + HEADER + "'");
        }
        final int digestStart = HEADER.length() + 1;
        final int digestEnd = text.indexOf('\n', digestStart);
        if (digestEnd < 0 || !text.startsWith(DIGEST, digestStart)) {
            throw new CorruptStateException("missing digest line");
        }
        final String expected = text.substring(digestStart + DIGEST.length(), digestEnd);
        final String body = text.substring(digestEnd + 1);
        if (!expected.equals(sha256(body))) {
            throw new CorruptStateException("digest mismatch (file truncated or altered)");
        }
        return body;
    }

    private static String sha256(final String s) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
