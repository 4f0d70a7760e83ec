package io.maaschain.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The light client's options, shared by every command that verifies against headers (docs/light-client.md). */
final class LightOptions {
    @Option(names = "--light-dir", description = "Light-client header store (default: $" + LightStore.ENV + ", else ~/.maaschain/light).")
    Path lightDir;

    @Option(names = "--genesis-hash", description = "Trust only the chain with this genesis block hash (64 hex); "
            + "without it the first genesis seen for a chain id is pinned.")
    String genesisHash;

    @Option(names = "--checkpoint", paramLabel = "HEIGHT:HASH", description = "Start verifying from this block instead of genesis "
            + "(a block hash you trust, e.g. from a friend's node or an explorer you trust).")
    String checkpoint;

    LightStore store() {
        return LightStore.resolve(lightDir);
    }

    LightClient client(NodeClient node) {
        return new LightClient(node, store(), genesisHash, checkpoint);
    }
}
