package io.maaschain.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints picocli's generated completion script for bash (zsh loads it too, after {@code bashcompinit}). */
@Command(name = "completion", description = {"Print a shell completion script for bash and zsh.",
        "bash:  source <(bin/maaschain completion)",
        "zsh:   autoload -U +X bashcompinit && bashcompinit && source <(bin/maaschain completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("maaschain", spec.root().commandLine()));
        System.out.flush();
        return ExitCodes.OK;
    }
}
