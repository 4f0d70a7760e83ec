package io.maaschain.cli;

/** The CLI's exit codes (README "Command line"); a script can tell a refused request from a typo from a bug. */
final class ExitCodes {
    /** The command did what was asked. */
    static final int OK = 0;
    /** The command ran and failed: a file, the node or the chain said no; the message names which and why. */
    static final int FAILED = 1;
    /** The command line is wrong: unknown option, missing or invalid value. */
    static final int USAGE = 2;
    /** A bug in maaschain: the message says so; MAASCHAIN_DEBUG=1 prints the stack trace. */
    static final int INTERNAL = 3;

    private ExitCodes() {}
}
