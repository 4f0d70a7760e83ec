package io.maaschain.cli;

import io.maaschain.crypto.Address;
import io.maaschain.maas.access.ApiKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apikey create|list|revoke}: the node-local API keys of {@code <data-dir>/apikeys.json}. */
@Command(name = "apikey", description = "Manage the node's API keys (Authorization: Bearer) in <data-dir>/apikeys.json.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.Allow.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand {

    static Path file(Path dataDir) {
        return dataDir.resolve(ApiKeys.FILE);
    }

    @Command(name = "create", description = "Create a key for an account. The key is printed once; only its SHA-256 is stored. "
            + "Paid calls with it are charged only within an allowance the account itself signs ('apikey allow').")
    static final class Create implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "The node data directory.") Path dataDir;
        @Option(names = "--account", required = true, description = "The account (mc...) calls with this key are billed to.") String account;
        @Option(names = "--label", defaultValue = "", description = "A note for the operator.") String label;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            Address a = Address.parse(account);
            String key = ApiKeys.create(file(dataDir), a, label, new SecureRandom(), System.currentTimeMillis());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("sha256", ApiKeys.hash(key).toHex());
            m.put("account", a.toString());
            m.put("note", "paid calls with this key need the account's allowance: maaschain apikey allow --key-hash "
                    + ApiKeys.hash(key).toHex() + " --host <node address> --cap <coins> --expiry-height <height> --key <account key file>");
            m.put("file", file(dataDir).toString());
            Output.print(json.json, m);
            return 0;
        }
    }

    @Command(name = "allow", description = "As the account, let an API key spend your channel with a host: up to a cap, until a height "
            + "(AllowSpendingKey, signed with the account's key). Sent again, it replaces cap and expiry; a cap of 0 stops the key.")
    static final class Allow extends ModelMarketCommands.MarketTx {
        @Option(names = "--key-hash", required = true, description = "SHA-256 of the API key, as 'apikey create' printed it (64 hex digits).") String keyHash;
        @Option(names = "--host", required = true, description = "The node (mc...) the key is used with.") String host;
        @Option(names = "--cap", required = true, description = "Most coins the key may spend in all.") long cap;
        @Option(names = "--expiry-height", required = true, description = "Block height from which the key may spend nothing.") long expiry;

        @Override
        io.maaschain.ledger.tx.Payload payload() {
            io.maaschain.crypto.Hash h;
            try {
                h = io.maaschain.crypto.Hash.fromHex(keyHash);
            } catch (io.maaschain.codec.CodecException e) {
                throw new IllegalArgumentException("--key-hash must be 64 hex digits (the sha256 'apikey create' printed)");
            }
            return new io.maaschain.ledger.tx.AllowSpendingKey(Address.parse(host), h, cap, expiry);
        }
    }

    @Command(name = "list", description = "List keys (ids, accounts and labels; never the keys).")
    static final class ListKeys implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "The node data directory.") Path dataDir;
        @Mixin JsonOption json;

        @Override
        public Integer call() throws Exception {
            Path f = file(dataDir);
            var entries = java.nio.file.Files.exists(f) ? ApiKeys.read(f) : java.util.List.<ApiKeys.Entry>of();
            if (json.json) {
                Output.print(true, Map.of("keys", entries.stream().map(e -> Map.of("id", e.id(), "account", e.account().toString(),
                        "label", e.label(), "createdMillis", e.createdMillis())).toList()));
            } else {
                for (ApiKeys.Entry e : entries) System.out.printf("%s  %s  %s%n", e.id(), e.account(), e.label());
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Remove a key by its id.")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "The node data directory.") Path dataDir;
        @Option(names = "--id", required = true, description = "The key id 'apikey list' shows.") String id;

        @Override
        public Integer call() throws Exception {
            if (!ApiKeys.revoke(file(dataDir), id)) throw new CliException("no key with id " + id);
            System.out.println("revoked " + id);
            return 0;
        }
    }
}
