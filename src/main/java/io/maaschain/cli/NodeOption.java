package io.maaschain.cli;

import picocli.CommandLine.Option;

/** The shared {@code --node URL} option. */
final class NodeOption {
    static final String DEFAULT_URL = "http://127.0.0.1:8645";

    @Option(names = "--node", defaultValue = DEFAULT_URL, description = "Node REST URL (default: ${DEFAULT-VALUE}).")
    String url;

    NodeClient client() {
        return new NodeClient(url);
    }
}
