package io.maaschain.cli;

/** A user-facing error: printed without a stack trace, exit code 1. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
