package io.maaschain.cli;

/** A user-facing error: printed as one line without a stack trace, exit code {@link ExitCodes#FAILED}. */
class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    /** A bad option value the parser could not catch (e.g. a negative fee): exit code {@link ExitCodes#USAGE}. */
    static final class Usage extends CliException {
        Usage(String message) {
            super(message);
        }
    }
}
