package io.jvs.admin.cli;

/** ipvsadm's commands in the order of its option-legality matrix, with the names its messages use. */
enum Command {
    ADD("add-service"),
    EDIT("edit-service"),
    DEL("delete-service"),
    FLUSH("flush"),
    LIST("list"),
    ADDDEST("add-server"),
    DELDEST("delete-server"),
    EDITDEST("edit-server"),
    TIMEOUT("set"),
    STARTDAEMON("start-daemon"),
    STOPDAEMON("stop-daemon"),
    RESTORE("restore"),
    SAVE("save"),
    ZERO("zero"),
    /** {@code -h}: not in the matrix, handled before any check. */
    HELP("help"),
    /** {@code -v}: not in the matrix, handled before any check. */
    VERSION("version");

    private final String text;

    Command(final String text) {
        this.text = text;
    }

    String text() {
        return text;
    }
}
