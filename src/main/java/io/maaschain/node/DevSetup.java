package io.maaschain.node;

import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.KeyPem;
import io.maaschain.storage.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * First-run set-up of a single-node devnet: a dev key (unencrypted, clearly labelled as such) and a genesis
 * file that funds it. Later runs reuse both, so the chain in the data directory stays valid.
 */
public final class DevSetup {
    public static final String DEV_KEY = "dev.key";
    public static final String GENESIS = "genesis.json";
    public static final long DEV_CHAIN_ID = 1337;
    public static final long DEV_BALANCE = 1_000_000_000_000L;
    /** What each validator of a new dev or test network gets, so it can pay for evidence and staking transactions. */
    public static final long VALIDATOR_BALANCE = 1_000_000_000L;

    /** The dev network's PoW: retargets towards 1-second blocks every 20 blocks. */
    private static final String POW_SECTION = """
            {
                "kind": "pow",
                "powLimitBits": "0x207fffff",
                "initialBits": "0x1f00ffff",
                "targetBlockTimeMillis": 1000,
                "retargetInterval": 20,
                "noRetargeting": false,
                "blockReward": 1000
              }""";

    private DevSetup() {}

    public record DevFiles(KeyPair devKey, Path keyFile, Path genesisFile, boolean created) {}

    public static DevFiles prepare(Path dataDir, String consensus, long nowMillis) throws IOException {
        if (!Files.exists(dataDir.resolve(GENESIS))) ConsensusKinds.requireAvailable(consensus);
        Files.createDirectories(dataDir);
        Path keyFile = dataDir.resolve(DEV_KEY);
        Path genesisFile = dataDir.resolve(GENESIS);
        boolean created = false;
        KeyPair key;
        if (Files.exists(keyFile)) {
            key = KeyPem.privateKeyFromPem(Files.readString(keyFile));
        } else {
            key = KeyPair.generate(new SecureRandom());
            SecretFiles.writeOwnerOnly(keyFile, KeyPem.privateKeyToPem(key));
            created = true;
        }
        if (!Files.exists(genesisFile)) {
            Files.writeString(genesisFile, devGenesis(key, consensus, nowMillis));
            created = true;
        }
        return new DevFiles(key, keyFile, genesisFile, created);
    }

    /** A devnet genesis funding {@code key}, which is also the only validator of a vote-based engine. */
    public static String devGenesis(KeyPair key, String consensus, long nowMillis) {
        return genesis(key, List.of(key), consensus, nowMillis);
    }

    /**
     * A genesis for a new dev or test network: {@code funded} gets {@link #DEV_BALANCE}; for pos, dpos and bft the
     * {@code validators} form the validator set (the engine's testnet defaults) and each gets {@link #VALIDATOR_BALANCE}.
     */
    public static String genesis(KeyPair funded, List<KeyPair> validators, String consensus, long nowMillis) {
        boolean pow = "pow".equals(consensus);
        String section = pow ? POW_SECTION : ConsensusKinds.genesisSection(consensus, validators);
        Map<String, String> alloc = new LinkedHashMap<>();
        if (!pow) for (KeyPair v : validators) alloc.put(v.address().toString(), Long.toString(VALIDATOR_BALANCE));
        alloc.put(funded.address().toString(), Long.toString(DEV_BALANCE));
        String allocJson = alloc.entrySet().stream().map(e -> "    \"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                .collect(Collectors.joining(",\n"));
        return """
                {
                  "chainId": %d,
                  "timestamp": %d,
                  "minTxFee": 1,
                  "maxBlockTransactions": 50000,
                  "maxBlockBytes": 16777216,
                  "consensus": %s,
                  "alloc": {
                %s
                  }
                }
                """.formatted(DEV_CHAIN_ID, nowMillis, section, allocJson);
    }
}
