package io.maaschain.cli;

import io.maaschain.crypto.KeyFormatException;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.crypto.Keystore;
import io.maaschain.crypto.KeystoreException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Loads signing keys from disk: an encrypted keystore (JSON), or an unencrypted PKCS#8 PEM such as the devnet's
 * dev.key or one made by OpenSSL. Passwords come from --password-file or an interactive prompt, never from argv.
 */
final class KeyFiles {
    static final long MAX_KEY_FILE_BYTES = 64 * 1024;

    private KeyFiles() {}

    static KeyPair load(Path file, Path passwordFile) throws IOException {
        String text = CliFiles.readText(file, "key file", MAX_KEY_FILE_BYTES);
        String trimmed = text.stripLeading();
        try {
            if (trimmed.startsWith("-----BEGIN")) {
                System.err.println("warning: " + file + " holds an unencrypted private key");
                return KeyPem.privateKeyFromPem(text);
            }
            if (trimmed.startsWith("{")) {
                char[] password = password(passwordFile, "Password for " + file + ": ", false);
                return Keystore.decrypt(text.getBytes(StandardCharsets.UTF_8), password);
            }
        } catch (KeyFormatException | KeystoreException e) {
            throw new CliException("key file " + file + ": " + e.getMessage());
        }
        throw new CliException("key file " + file + " is neither a keystore (JSON) nor a PEM private key;"
                + " make one with 'maaschain keys new'");
    }

    static char[] password(Path passwordFile, String prompt, boolean confirm) throws IOException {
        if (passwordFile != null) {
            String p = CliFiles.readText(passwordFile, "password file", MAX_KEY_FILE_BYTES).strip();
            if (p.isEmpty()) throw new CliException("password file " + passwordFile + " is empty");
            return p.toCharArray();
        }
        Console console = System.console();
        if (console == null) throw new CliException("no terminal to prompt for a password: pass --password-file FILE");
        char[] p = console.readPassword("%s", prompt);
        if (p == null || p.length == 0) throw new CliException("an empty password is not allowed");
        if (confirm) {
            char[] again = console.readPassword("Repeat the password: ");
            if (!java.util.Arrays.equals(p, again)) throw new CliException("the passwords do not match");
        }
        return p;
    }
}
