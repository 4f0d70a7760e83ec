package io.maaschain.cli;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.crypto.Keystore;
import io.maaschain.crypto.PublicKey;
import io.maaschain.storage.SecretFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "keys", description = "Create, import, export and show Ed25519 keys.",
        subcommands = {KeysCommand.New.class, KeysCommand.Import.class, KeysCommand.Export.class, KeysCommand.Show.class})
final class KeysCommand {

    static Map<String, Object> describe(PublicKey key, Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", key.address().toString());
        m.put("publicKey", key.toHex());
        if (file != null) m.put("file", file.toString());
        return m;
    }

    static void refuseOverwrite(Path out) {
        if (Files.exists(out)) throw new CliException(out + " already exists; refusing to overwrite a key file");
    }

    static void writeKeystore(KeyPair key, Path out, Path passwordFile) throws IOException {
        char[] password = KeyFiles.password(passwordFile, "New password for " + out + ": ", true);
        byte[] ks = Keystore.encrypt(key, password, new SecureRandom());
        SecretFiles.writeOwnerOnly(out, new String(ks, StandardCharsets.UTF_8));
    }

    @Command(name = "new", description = "Generate a key pair into an encrypted keystore (scrypt + AES-256-GCM).")
    static final class New implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Keystore file to create.") Path out;
        @Option(names = "--password-file", description = "Read the password from this file instead of prompting.") Path passwordFile;
        @Option(names = "--unencrypted", description = "Write an unencrypted PKCS#8 PEM instead (development only).") boolean unencrypted;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            refuseOverwrite(out);
            KeyPair key = KeyPair.generate(new SecureRandom());
            if (unencrypted) SecretFiles.writeOwnerOnly(out, KeyPem.privateKeyToPem(key));
            else writeKeystore(key, out, passwordFile);
            Output.print(json.json, describe(key.publicKey(), out));
            return 0;
        }
    }

    @Command(name = "import", description = "Import a PKCS#8 PEM private key (e.g. from 'openssl genpkey -algorithm ed25519') into an encrypted keystore.")
    static final class Import implements Callable<Integer> {
        @Option(names = "--pem", required = true, description = "PEM private key to import.") Path pem;
        @Option(names = "--out", required = true, description = "Keystore file to create.") Path out;
        @Option(names = "--password-file", description = "Read the new password from this file.") Path passwordFile;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            refuseOverwrite(out);
            KeyPair key = KeyPem.privateKeyFromPem(CliFiles.readText(pem, "--pem", KeyFiles.MAX_KEY_FILE_BYTES));
            writeKeystore(key, out, passwordFile);
            Output.print(json.json, describe(key.publicKey(), out));
            return 0;
        }
    }

    @Command(name = "export", description = "Export a key as PEM that OpenSSL reads: PKCS#8 private key, or X.509 public key with --public.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--key", required = true, description = "Keystore or PEM key file.") Path keyFile;
        @Option(names = "--out", required = true, description = "PEM file to write.") Path out;
        @Option(names = "--public", description = "Export only the public key.") boolean publicOnly;
        @Option(names = "--password-file", description = "Keystore password file.") Path passwordFile;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws IOException {
            refuseOverwrite(out);
            PublicKey pub;
            if (publicOnly) {
                pub = Show.publicKeyOf(keyFile);
                Files.writeString(out, KeyPem.publicKeyToPem(pub));
            } else {
                KeyPair key = KeyFiles.load(keyFile, passwordFile);
                pub = key.publicKey();
                SecretFiles.writeOwnerOnly(out, KeyPem.privateKeyToPem(key));
            }
            Output.print(json.json, describe(pub, out));
            return 0;
        }
    }

    @Command(name = "show", description = "Show a key file's address and public key (no password needed).")
    static final class Show implements Callable<Integer> {
        @Option(names = "--key", required = true, description = "Keystore or PEM key file.") Path keyFile;
        @Mixin JsonOption json;

        static PublicKey publicKeyOf(Path file) throws IOException {
            String text = CliFiles.readText(file, "key file", KeyFiles.MAX_KEY_FILE_BYTES);
            if (text.stripLeading().startsWith("{")) return Keystore.publicKey(text.getBytes(StandardCharsets.UTF_8));
            if (text.contains("-----BEGIN PUBLIC KEY-----")) return KeyPem.publicKeyFromPem(text);
            return KeyPem.privateKeyFromPem(text).publicKey();
        }

        @Override
        public Integer call() throws IOException {
            Output.print(json.json, describe(publicKeyOf(keyFile), keyFile));
            return 0;
        }
    }
}
