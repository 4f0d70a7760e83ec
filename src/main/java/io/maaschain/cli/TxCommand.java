package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.KeyPair;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.Transfer;
import io.maaschain.ledger.tx.UnsignedTransaction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tx", description = "Sign and submit transactions, and show one.", subcommands = {TxCommand.TransferCmd.class, TxShowCommand.class})
final class TxCommand {

    /** Options every signing command shares. */
    static final class Signing {
        @Option(names = "--key", required = true, description = "Keystore or PEM key of the sender.") Path keyFile;
        @Option(names = "--password-file", description = "Keystore password file.") Path passwordFile;
        @Option(names = "--fee", defaultValue = "1", description = "Fee offered (default: ${DEFAULT-VALUE}).") long fee;
        @Option(names = "--nonce", description = "Nonce to use (default: the node's next nonce for the sender).") Long nonce;
        @Option(names = "--wait", description = "Wait until the transaction is in a block, then print the block (exit 1 on timeout).") boolean waitForBlock;
        @Option(names = "--wait-timeout", defaultValue = "60", paramLabel = "SECONDS",
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).") long waitSeconds;

        /** Signs {@code payload} for the node's chain and submits it, returning what the node answered. */
        Map<String, Object> signAndSubmit(NodeClient node, Payload payload) throws IOException {
            if (fee < 0) throw new CliException.Usage("--fee must be 0 or more, not " + fee);
            if (nonce != null && nonce < 0) throw new CliException.Usage("--nonce must be 0 or more, not " + nonce);
            if (waitSeconds < 1) throw new CliException.Usage("--wait-timeout must be at least 1 second, not " + waitSeconds);
            KeyPair key = KeyFiles.load(keyFile, passwordFile);
            long chainId = node.get("api/v1/status").path("chainId").asLong();
            long n = nonce != null ? nonce : node.get("api/v1/accounts/" + key.address()).path("nextNonce").asLong();
            Transaction tx = new UnsignedTransaction(chainId, key.publicKey(), n, fee, payload).sign(key);
            JsonNode answer = node.submit(tx);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hash", answer.path("hash").asText());
            m.put("status", answer.path("status").asText());
            m.put("sender", key.address().toString());
            m.put("nonce", n);
            m.put("fee", fee);
            if (waitForBlock) m.putAll(Inclusion.await(node, answer.path("hash").asText(), java.time.Duration.ofSeconds(waitSeconds)));
            return m;
        }
    }

    @Command(name = "transfer", description = "Transfer coins to an address.")
    static final class TransferCmd implements Callable<Integer> {
        @Mixin Signing signing;
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Option(names = "--to", required = true, description = "Recipient address (mc...).") String to;
        @Option(names = "--amount", required = true, description = "Amount to transfer.") long amount;

        @Override
        public Integer call() throws IOException {
            if (amount <= 0) throw new CliException.Usage("--amount must be positive, not " + amount);
            Map<String, Object> m = signing.signAndSubmit(node.client(), new Transfer(Address.parse(to), amount));
            m.put("to", to);
            m.put("amount", amount);
            Output.print(json.json, m);
            return 0;
        }
    }
}
