package io.maaschain.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the text files a command is given; every failure names the file, what it was for and what to do. */
final class CliFiles {
    private CliFiles() {}

    /** The file as UTF-8 text; {@code what} says what the file was given as (e.g. "--key"). */
    static String readText(Path file, String what, long maxBytes) {
        if (Files.isDirectory(file)) throw new CliException(what + " " + file + " is a directory; pass a file");
        byte[] bytes;
        try {
            if (Files.size(file) > maxBytes) throw new CliException(what + " " + file + " is larger than " + maxBytes + " bytes; is it the right file?");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException(what + " " + file + " does not exist; check the path");
        } catch (AccessDeniedException e) {
            throw new CliException(what + " " + file + " cannot be read: permission denied");
        } catch (IOException e) {
            throw new CliException(what + " " + file + " cannot be read: " + ErrorText.describe(e));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException(what + " " + file + " is not UTF-8 text; is it the right file?");
        }
    }
}
