package io.maaschain.cli;

import picocli.CommandLine.Option;

/** The shared {@code --json} switch. */
final class JsonOption {
    @Option(names = "--json", description = "Print machine-readable JSON.")
    boolean json;
}
