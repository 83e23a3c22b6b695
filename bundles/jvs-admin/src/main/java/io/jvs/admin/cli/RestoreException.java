package io.jvs.admin.cli;

/** A restore text was refused: the message names the line, shows it and gives ipvsadm's reason. */
public final class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int lineNumber;
    private final transient int exitCode;

    RestoreException(final int lineNumber, final String line, final String reason, final int exitCode) {
        super("line " + lineNumber + ": \"" + line + "\": " + reason);
        this.lineNumber = lineNumber;
        this.exitCode = exitCode;
    }

    /** 1-based number of the refused line. */
    public int lineNumber() {
        return lineNumber;
    }

    /** The exit status ipvsadm would end with for this reason. */
    int exitCode() {
        return exitCode;
    }
}
