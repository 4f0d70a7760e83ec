package io.maaschain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maaschain.api.Json;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.CallContract;
import io.maaschain.ledger.tx.DeployCode;
import io.maaschain.ledger.tx.Instantiate;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.SetModelPolicy;
import io.maaschain.state.ContractRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "contract", description = "WebAssembly smart contracts: deploy code, instantiate, call, query, inspect (docs/contracts.md).",
        subcommands = {ContractCommand.Deploy.class, ContractCommand.InstantiateCmd.class, ContractCommand.Call.class,
                ContractCommand.Query.class, ContractCommand.Show.class, ContractCommand.Events.class, ContractCommand.Policy.class})
final class ContractCommand {
    private ContractCommand() {}

    /** A contract transaction: signs, submits and, with --wait, waits for its block and prints its result. */
    abstract static class ContractTx implements Callable<Integer> {
        @Mixin TxCommand.Signing signing;
        @Mixin NodeOption node;
        @Mixin JsonOption json;

        abstract Payload payload() throws IOException;

        void describe(Map<String, Object> m) {}

        @Override
        public Integer call() throws IOException {
            Payload p;
            try {
                p = payload();
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
            NodeClient client = node.client();
            Map<String, Object> m = signing.signAndSubmit(client, p);
            describe(m);
            if (p instanceof Instantiate) {
                m.put("contract", ContractRecords.contractAddress(Address.parse((String) m.get("sender")), (Long) m.get("nonce")).toString());
            }
            int exit = 0;
            // --wait (TxCommand.Signing) has waited for the block; the contract's result is part of the transaction's view.
            if (signing.waitForBlock) {
                JsonNode tx = client.get("api/v1/txs/" + m.get("hash"));
                m.put("status", "committed");
                m.put("blockHeight", tx.path("blockHeight").asLong());
                if (tx.has("result")) {
                    m.put("result", Json.MAPPER.convertValue(tx.path("result"), Map.class));
                    if (!"OK".equals(tx.path("result").path("status").asText())) exit = 1;
                }
            }
            Output.print(json.json, m);
            return exit;
        }
    }

    static byte[] hexOption(String value, String option) {
        if (value == null || value.isEmpty()) return new byte[0];
        try {
            return Hex.decode(value);
        } catch (CodecException | IllegalArgumentException e) {
            throw new CliException(option + " must be hex bytes (for example 0a0b): " + e.getMessage());
        }
    }

    static Address addressArg(String value, String what) {
        try {
            return Address.parse(value);
        } catch (CodecException | IllegalArgumentException e) {
            throw new CliException(what + " '" + value + "' is not an address (mc...): " + e.getMessage());
        }
    }

    @Command(name = "deploy", description = "Deploy a wasm module (addressed by its SHA-256; a module is deployed once).")
    static final class Deploy extends ContractTx {
        @Parameters(index = "0", description = "The .wasm file.") Path file;
        @Option(names = "--gas", defaultValue = "1000000", description = "Gas limit (default: ${DEFAULT-VALUE}).") long gas;
        byte[] code;

        @Override
        Payload payload() throws IOException {
            try {
                code = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new CliException("no such file: " + file);
            }
            return new DeployCode(code, gas);
        }

        @Override
        void describe(Map<String, Object> m) {
            m.put("codeHash", Sha256.hash(code).toHex());
            m.put("codeSize", code.length);
        }
    }

    @Command(name = "instantiate", description = "Create a contract from deployed code; its init export runs with the arguments.")
    static final class InstantiateCmd extends ContractTx {
        @Parameters(index = "0", description = "Code hash (64 hex digits).") String codeHash;
        @Option(names = "--args", description = "Init arguments, hex.") String args;
        @Option(names = "--value", defaultValue = "0", description = "Coins to move to the contract (default: ${DEFAULT-VALUE}).") long value;
        @Option(names = "--gas", defaultValue = "1000000", description = "Gas limit (default: ${DEFAULT-VALUE}).") long gas;

        @Override
        Payload payload() {
            Hash h;
            try {
                h = Hash.fromHex(codeHash);
            } catch (CodecException | IllegalArgumentException e) {
                throw new CliException("code hash must be 64 hex digits");
            }
            return new Instantiate(h, hexOption(args, "--args"), value, gas);
        }
    }

    @Command(name = "call", description = "Call a contract function in a transaction.")
    static final class Call extends ContractTx {
        @Parameters(index = "0", description = "Contract address.") String contract;
        @Parameters(index = "1", description = "Exported function.") String function;
        @Option(names = "--args", description = "Arguments, hex.") String args;
        @Option(names = "--value", defaultValue = "0", description = "Coins to attach (default: ${DEFAULT-VALUE}).") long value;
        @Option(names = "--gas", defaultValue = "1000000", description = "Gas limit (default: ${DEFAULT-VALUE}).") long gas;

        @Override
        Payload payload() {
            return new CallContract(addressArg(contract, "contract"), function, hexOption(args, "--args"), value, gas);
        }
    }

    @Command(name = "policy", description = "Name the policy contract of a model you own (or --clear it).")
    static final class Policy extends ContractTx {
        @Parameters(index = "0", description = "Model name.") String model;
        @Option(names = "--contract", description = "Policy contract address.") String contract;
        @Option(names = "--clear", description = "Remove the policy.") boolean clear;

        @Override
        Payload payload() {
            if (clear == (contract != null)) throw new CliException("give exactly one of --contract or --clear");
            return new SetModelPolicy(model, clear ? Optional.empty() : Optional.of(addressArg(contract, "--contract")));
        }
    }

    @Command(name = "query", description = "Run a function read-only against the head state (gas-capped, changes nothing).")
    static final class Query implements Callable<Integer> {
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Parameters(index = "0", description = "Contract address.") String contract;
        @Parameters(index = "1", description = "Exported function.") String function;
        @Option(names = "--args", description = "Arguments, hex.") String args;
        @Option(names = "--caller", description = "Address the contract sees as caller.") String caller;
        @Option(names = "--gas", description = "Gas limit (at most the node's query cap).") Long gas;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("function", function);
            body.put("args", Hex.encode(hexOption(args, "--args")));
            if (caller != null) body.put("caller", addressArg(caller, "--caller").toString());
            if (gas != null) body.put("gasLimit", gas);
            JsonNode r = node.client().post("api/v1/contracts/" + addressArg(contract, "contract") + "/query", body);
            @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(r, LinkedHashMap.class);
            Output.print(json.json, m);
            return "OK".equals(r.path("status").asText()) ? 0 : 1;
        }
    }

    @Command(name = "show", description = "Show a contract (code hash, creator, balance) and optionally a storage value, with proofs.")
    static final class Show implements Callable<Integer> {
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Parameters(index = "0", description = "Contract address.") String contract;
        @Option(names = "--key", description = "Storage key, hex.") String key;

        @Override
        public Integer call() {
            String path = "api/v1/contracts/" + addressArg(contract, "contract") + (key == null ? "" : "?key=" + Hex.encode(hexOption(key, "--key")));
            @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(node.client().get(path), LinkedHashMap.class);
            Output.print(json.json, m);
            return 0;
        }
    }

    @Command(name = "events", description = "List the events a contract emitted, oldest first.")
    static final class Events implements Callable<Integer> {
        @Mixin NodeOption node;
        @Mixin JsonOption json;
        @Parameters(index = "0", description = "Contract address.") String contract;
        @Option(names = "--from", defaultValue = "0", description = "First event number (default: ${DEFAULT-VALUE}).") long from;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default: ${DEFAULT-VALUE}).") long limit;

        @Override
        public Integer call() {
            @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(node.client().get(
                    "api/v1/contracts/" + addressArg(contract, "contract") + "/events?from=" + from + "&limit=" + limit), LinkedHashMap.class);
            Output.print(json.json, m);
            return 0;
        }
    }
}
