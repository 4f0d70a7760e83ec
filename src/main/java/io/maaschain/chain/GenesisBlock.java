package io.maaschain.chain;

import io.maaschain.codec.Bytes;
import io.maaschain.consensus.ConsensusEngine;
import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.block.Block;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.genesis.Genesis;
import io.maaschain.ledger.merkle.MerkleTree;
import io.maaschain.state.Account;
import io.maaschain.state.Permissions;
import io.maaschain.state.StateKeys;
import io.maaschain.state.smt.SparseMerkleTree;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Block 0 and its state, derived from the genesis file alone so every node computes the same genesis hash. */
public record GenesisBlock(Block block, Map<Bytes, byte[]> state, SparseMerkleTree stateTree) {
    public static final Address NO_PROPOSER = Address.wrap(new byte[Address.LENGTH]);

    public static GenesisBlock of(Genesis genesis, ConsensusEngine engine) {
        Map<Bytes, byte[]> state = new LinkedHashMap<>();
        genesis.alloc().forEach((address, balance) -> state.put(StateKeys.account(address), new Account(balance, 0).encode()));
        genesis.permissions().ifPresent(p -> {
            state.put(Permissions.flagKey(), Permissions.present());
            p.admins().forEach(a -> state.put(Permissions.adminKey(a), Permissions.present()));
            p.accounts().forEach(a -> state.put(Permissions.accountKey(a), Permissions.present()));
            p.nodes().forEach(k -> state.put(Permissions.nodeKey(k), Permissions.present()));
            state.put(Permissions.adminCountKey(), Permissions.encodeCount(p.admins().stream().distinct().count()));
        });
        state.putAll(engine.genesisState());
        SparseMerkleTree tree = StateCommitment.apply(SparseMerkleTree.empty(), state);
        // Genesis has no parent; the field commits to the genesis file byte for byte, so every rule in it
        // (chain id, fees, limits, engine parameters) is part of the genesis hash.
        Hash fileHash = Sha256.hash(genesis.canonicalJson().getBytes(StandardCharsets.UTF_8));
        Header header = new Header(0, fileHash, genesis.timestampMillis(), MerkleTree.EMPTY_ROOT, tree.root(),
                NO_PROPOSER, 0, engine.genesisSeal());
        return new GenesisBlock(new Block(header, List.of()), Map.copyOf(state), tree);
    }

    public Hash hash() {
        return block.hash();
    }
}
