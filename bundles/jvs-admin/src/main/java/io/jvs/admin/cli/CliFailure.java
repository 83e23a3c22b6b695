package io.jvs.admin.cli;

/** An invocation ends early: the exact text ipvsadm writes to stderr and its exit status. */
final class CliFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@code fail(2, ...)}: argument errors. */
    static final int EXIT_ARGUMENT = 2;
    /**
     * ipvsadm's main returns -1 for popt errors, for {@code tryhelp_exit(-1)} and when the kernel refuses a
     * command; the shell sees 255.
     */
    static final int EXIT_MINUS_ONE = 255;
    /** {@code exit(1)}: a listing could not read the table. */
    static final int EXIT_LIST = 1;

    private final int exitCode;
    private final String text;

    private CliFailure(final String text, final int exitCode) {
        super(text.strip());
        this.text = text;
        this.exitCode = exitCode;
    }

    /** ipvsadm's {@code fail(2, msg)}: the message and a newline. */
    static CliFailure fail(final String message) {
        return new CliFailure(message + "\n", EXIT_ARGUMENT);
    }

    static CliFailure tryHelp() {
        return new CliFailure("Try `ipvsadm -h' or 'ipvsadm --help' for more information.\n", EXIT_MINUS_ONE);
    }

    /** What popt reports for a bad option: {@code <word>: <reason>}. */
    static CliFailure popt(final String word, final String reason) {
        return new CliFailure(word + ": " + reason + "\n", EXIT_MINUS_ONE);
    }

    static CliFailure of(final String message, final int exitCode) {
        return new CliFailure(message + "\n", exitCode);
    }

    int exitCode() {
        return exitCode;
    }

    /** The bytes ipvsadm writes to stderr. */
    String text() {
        return text;
    }
}
