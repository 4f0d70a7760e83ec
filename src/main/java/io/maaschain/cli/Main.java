package io.maaschain.cli;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.KeyFormatException;
import io.maaschain.crypto.KeystoreException;
import io.maaschain.storage.StorageException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code maaschain} command line. Every command and subcommand takes {@code -h/--help}; the top level also {@code --version}.
 * Exit codes are those of {@link ExitCodes}; no error a user can cause prints a stack trace.
 */
@Command(name = "maaschain", mixinStandardHelpOptions = true, version = "maaschain 0.1.0",
        description = "A blockchain for AI Model-as-a-Service.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed; the message names the file, field or node and why",
                "2:bad command line (unknown option, missing or invalid value)", "3:internal error (a bug; MAASCHAIN_DEBUG=1 shows the stack trace)"},
        subcommands = {DevCommand.class, NodeCommand.class, TestnetCommand.class, StatusCommand.class, KeysCommand.class, TxCommand.class,
                ModelCommand.class, BlockCommand.class, AccountCommand.class, ChainCommand.class, EscrowCommand.class, ContractCommand.class, AdminCommand.class,
                ReceiptCommand.class, AuditCommand.class, ApiKeyCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
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
        return commandLine().execute(args);
    }

    /** The whole command tree with its error handling; tests walk it to reach every command. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        addHelp(cli);
        cli.setExecutionExceptionHandler(Main::handle);
        return cli;
    }

    /**
     * Gives every subcommand {@code -h, --help}. Not picocli's inherited standard options: those add {@code --version},
     * which several model commands use for a model version.
     */
    private static void addHelp(CommandLine cmd) {
        CommandSpec spec = cmd.getCommandSpec();
        if (spec.findOption("--help") == null && !(cmd.getCommand() instanceof CommandLine.HelpCommand)) {
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        }
        for (CommandLine sub : cmd.getSubcommands().values()) addHelp(sub);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof CliException.Usage) {
            err.println("error: " + e.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        }
        if (e instanceof CliException || e instanceof CodecException || e instanceof KeyFormatException
                || e instanceof KeystoreException || e instanceof StorageException || e instanceof java.io.IOException
                || e instanceof IllegalArgumentException || e instanceof io.javalin.util.JavalinBindException) {
            // IllegalArgumentException: a value object refused what the user typed (a model name, an amount).
            err.println("error: " + ErrorText.describe(e));
            return ExitCodes.FAILED;
        }
        err.println("error: internal error in maaschain (" + e.getClass().getSimpleName() + ": " + ErrorText.describe(e)
                + "); please report it. MAASCHAIN_DEBUG=1 prints the stack trace.");
        if (System.getenv("MAASCHAIN_DEBUG") != null) e.printStackTrace(err);
        return ExitCodes.INTERNAL;
    }
}
