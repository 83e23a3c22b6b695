package io.jvs.admin.cli;

/**
 * Scheduler flags ({@code -b}): the kernel's SCHED1..3 bits and the names ipvsadm gives them per scheduler
 * (sh and mh name the first two; any other scheduler shows flag-1..3).
 */
final class SchedulerFlags {
    static final int SCHED1 = 0x08;
    static final int SCHED2 = 0x10;
    static final int SCHED3 = 0x20;
    static final int ALL = SCHED1 | SCHED2 | SCHED3;

    private SchedulerFlags() {
    }

    /** ipvsadm's {@code parse_sched_flags}: comma-separated names, empty items skipped as strtok does. */
    static int parse(final String scheduler, final String text) throws CliFailure {
        int flags = 0;
        for (final String flag : text.split(",")) {
            if (flag.isEmpty()) {
                continue;
            }
            switch (flag) {
                case "flag-1" -> flags |= SCHED1;
                case "flag-2" -> flags |= SCHED2;
                case "flag-3" -> flags |= SCHED3;
                case "sh-fallback", "sh-port" -> flags |= only(scheduler, "sh", flag);
                case "mh-fallback", "mh-port" -> flags |= only(scheduler, "mh", flag);
                default -> throw CliFailure.fail("invalid scheduler flag `" + flag + "'");
            }
        }
        return flags;
    }

    private static int only(final String scheduler, final String wanted, final String flag) throws CliFailure {
        if (!scheduler.equals(wanted)) {
            throw CliFailure.fail("incompatible scheduler flag `" + flag + "'");
        }
        return flag.endsWith("-fallback") ? SCHED1 : SCHED2;
    }

    /** ipvsadm's {@code print_sched_flags}: the set flags' names, comma-separated. */
    static String names(final String scheduler, final int flags) {
        final StringBuilder s = new StringBuilder();
        if (scheduler.equals("sh") || scheduler.equals("mh")) {
            if ((flags & SCHED1) != 0) {
                s.append(scheduler).append("-fallback,");
            }
            if ((flags & SCHED2) != 0) {
                s.append(scheduler).append("-port,");
            }
        } else {
            if ((flags & SCHED1) != 0) {
                s.append("flag-1,");
            }
            if ((flags & SCHED2) != 0) {
                s.append("flag-2,");
            }
            if ((flags & SCHED3) != 0) {
                s.append("flag-3,");
            }
        }
        if (s.length() > 0) {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }
}
