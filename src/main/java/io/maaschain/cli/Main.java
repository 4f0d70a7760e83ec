package io.maaschain.cli;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.KeyFormatException;
import io.maaschain.crypto.KeystoreException;
import io.maaschain.storage.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code maaschain} command line. */
@Command(name = "maaschain", mixinStandardHelpOptions = true, version = "maaschain 0.1.0",
        description = "A blockchain for AI Model-as-a-Service.",
        subcommands = {DevCommand.class, NodeCommand.class, TestnetCommand.class, StatusCommand.class, KeysCommand.class, TxCommand.class, ModelCommand.class,
                ChainCommand.class, EscrowCommand.class, ContractCommand.class, AdminCommand.class, ReceiptCommand.class, AuditCommand.class, ApiKeyCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    /** Commands that run a node keep info logging; one-shot commands print only their result and warnings. */
    private static final java.util.Set<String> LONG_RUNNING = java.util.Set.of("dev", "node", "testnet");

    public static void main(String[] args) {
        if (args.length == 0 || !LONG_RUNNING.contains(args[0])) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException || e instanceof CodecException || e instanceof KeyFormatException
                    || e instanceof KeystoreException || e instanceof StorageException || e instanceof java.io.IOException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
