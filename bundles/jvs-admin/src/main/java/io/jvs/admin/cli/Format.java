package io.jvs.admin.cli;

/** ipvsadm's printing format flags; combined as bits. */
final class Format {
    static final int NONE = 0;
    static final int NUMERIC = 0x0001;
    static final int RULE = 0x0002;
    static final int STATS = 0x0004;
    static final int RATE = 0x0008;
    static final int THRESHOLDS = 0x0010;
    static final int PERSISTENTCONN = 0x0020;
    static final int NOSORT = 0x0040;
    static final int EXACT = 0x0080;
    static final int TUN_INFO = 0x0100;

    private Format() {
    }

    static boolean has(final int format, final int flag) {
        return (format & flag) != 0;
    }
}
