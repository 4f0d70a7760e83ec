package io.maaschain.cli;

import io.maaschain.crypto.Address;
import io.maaschain.ledger.tx.Deprecate;
import io.maaschain.ledger.tx.GrantAccess;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RevokeAccess;
import io.maaschain.ledger.tx.SetVisibility;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model owner's and host's market transactions: host, grant, revoke, deprecate, visibility. */
final class ModelMarketCommands {
    private ModelMarketCommands() {}

    /** Signs {@code payload} with the given key, submits it and prints the node's answer plus {@code extra}. */
    abstract static class MarketTx implements Callable<Integer> {
        @Mixin TxCommand.Signing signing;
        @Mixin NodeOption node;
        @Mixin JsonOption json;

        abstract Payload payload();

        @Override
        public Integer call() throws IOException {
            Payload p;
            try {
                p = payload();
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            Map<String, Object> m = signing.signAndSubmit(node.client(), p);
            m.put("kind", p.getClass().getSimpleName());
            Output.print(json.json, m);
            return 0;
        }
    }

    @Command(name = "host", description = "Announce that this account's node serves a model version, at a price per call on top of the model's.")
    static final class Host extends MarketTx {
        @Parameters(index = "0", description = "Model name.") String name;
        @Option(names = "--version", required = true, description = "Model version.") String version;
        @Option(names = "--price", defaultValue = "0", description = "Host price per call (default: ${DEFAULT-VALUE}).") long price;

        @Override
        Payload payload() {
            return new HostModel(name, version, price);
        }
    }

    @Command(name = "grant", description = "Let an account call a model (and, for a private model, host it) up to a quota, until a height.")
    static final class Grant extends MarketTx {
        @Parameters(index = "0", description = "Model name.") String name;
        @Option(names = "--to", required = true, description = "Grantee address.") String grantee;
        @Option(names = "--quota", required = true, description = "Number of calls.") long quota;
        @Option(names = "--expiry-height", required = true, description = "Block height at which the grant ends.") long expiry;

        @Override
        Payload payload() {
            return new GrantAccess(name, Address.parse(grantee), quota, expiry);
        }
    }

    @Command(name = "revoke", description = "Withdraw an account's grant.")
    static final class Revoke extends MarketTx {
        @Parameters(index = "0", description = "Model name.") String name;
        @Option(names = "--from", required = true, description = "Grantee address.") String grantee;

        @Override
        Payload payload() {
            return new RevokeAccess(name, Address.parse(grantee));
        }
    }

    @Command(name = "deprecate", description = "Mark a model version deprecated: nodes stop serving it.")
    static final class Deprecation extends MarketTx {
        @Parameters(index = "0", description = "Model name.") String name;
        @Option(names = "--version", required = true, description = "Model version.") String version;

        @Override
        Payload payload() {
            return new Deprecate(name, version);
        }
    }

    @Command(name = "visibility", description = "Make a model public (anyone may call it, paying its price) or private (grantees only).")
    static final class Visibility extends MarketTx {
        @Parameters(index = "0", description = "Model name.") String name;
        @ArgGroup(exclusive = true, multiplicity = "1") Choice choice;

        static final class Choice {
            @Option(names = "--public", description = "Anyone may call it.") boolean open;
            @Option(names = "--private", description = "Only grantees may call it.") boolean closed;
        }

        @Override
        Payload payload() {
            return new SetVisibility(name, choice.open);
        }
    }
}
