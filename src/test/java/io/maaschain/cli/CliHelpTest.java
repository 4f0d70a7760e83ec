package io.maaschain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** {@code --help} on every command and subcommand, enumerated from picocli's tree so that a new command cannot be missed. */
class CliHelpTest {

    static Stream<String> everyCommand() {
        List<String> paths = new ArrayList<>();
        collect(Main.commandLine(), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine cmd, String prefix, List<String> out) {
        for (var e : cmd.getSubcommands().entrySet()) {
            // A command's aliases appear as extra keys; only its own name is walked.
            if (!e.getKey().equals(e.getValue().getCommandName())) continue;
            String path = (prefix + " " + e.getKey()).strip();
            out.add(path);
            collect(e.getValue(), path, out);
        }
    }

    @Test
    void theTreeHoldsTheCommandsTheReadmeNames() {
        assertThat(everyCommand().toList()).contains("dev", "node", "testnet", "status", "chain verify", "tx transfer", "tx show",
                "block", "account", "model list", "model show", "completion", "receipt verify", "keys new").hasSizeGreaterThan(30);
    }

    @ParameterizedTest(name = "maaschain {0} --help")
    @MethodSource("everyCommand")
    void helpExitsZeroWithUsage(String command) {
        String[] args = CliRun.with(command.split(" "), "--help");
        CliRun.Result r = CliRun.run(args);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        String lastWord = command.substring(command.lastIndexOf(' ') + 1);
        assertThat(r.out()).contains("Usage: maaschain " + command).contains(lastWord).contains("-h, --help");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void topLevelHelpListsTheExitCodes() {
        CliRun.Result r = CliRun.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:").contains("2   bad command line").contains("3   internal error");
    }

    @Test
    void completionPrintsABashScriptThatKnowsTheSubcommands() {
        CliRun.Result r = CliRun.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_maaschain")
                .contains("_picocli_maaschain_tx_transfer").contains("--wait").contains("_picocli_maaschain_model_list");
    }
}
