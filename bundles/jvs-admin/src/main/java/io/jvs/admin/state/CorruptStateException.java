package io.jvs.admin.state;

/** A saved table that cannot be trusted: bad header, digest mismatch, or a body the table refuses. */
public final class CorruptStateException extends Exception {
    private static final long serialVersionUID = 1L;

    public CorruptStateException(final String message) {
        super(message);
    }
}
