package io.maaschain.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** A sentence for people from an exception whose own message is empty or cryptic ("null", "Input length = 1"). */
final class ErrorText {
    private ErrorText() {}

    static String describe(Throwable e) {
        return switch (e) {
            case NoSuchFileException f -> "no such file: " + f.getFile() + "; check the path";
            case AccessDeniedException f -> "permission denied: " + f.getFile();
            case FileAlreadyExistsException f -> f.getFile() + " already exists";
            case NotDirectoryException f -> f.getFile() + " is not a directory";
            case MalformedInputException m -> "a file is not UTF-8 text";
            case ConnectException c -> "connection refused; is a node running there?";
            case HttpConnectTimeoutException t -> "the connection timed out";
            case HttpTimeoutException t -> "no answer in time";
            case UnknownHostException u -> "unknown host " + u.getMessage();
            case UnresolvedAddressException u -> "the host name does not resolve";
            default -> e.getMessage() != null ? e.getMessage()
                    : e.getCause() != null && e.getCause() != e ? describe(e.getCause()) : e.getClass().getSimpleName();
        };
    }
}
