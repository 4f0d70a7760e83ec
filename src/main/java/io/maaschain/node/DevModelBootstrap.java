package io.maaschain.node;

import io.maaschain.crypto.Address;
import io.maaschain.crypto.Hash;
import io.maaschain.crypto.KeyPair;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.Rejection;
import io.maaschain.ledger.tx.AllowSpendingKey;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.Payload;
import io.maaschain.ledger.tx.RegisterModel;
import io.maaschain.ledger.tx.UnsignedTransaction;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.state.MarketRecords;
import io.maaschain.state.StateKeys;
import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * Dev mode's ready-to-call model: the Iris classifier the project trains and exports to ONNX, put in the artifact
 * store, registered on chain by the dev account, hosted by this node, and an escrow deposited so calls can be paid;
 * the dev account also allows the dev API key to spend that escrow, up to all of it.
 */
public final class DevModelBootstrap {
    public static final long DEV_MODEL_PRICE = 1;
    public static final long DEV_ESCROW = 1_000_000;

    private DevModelBootstrap() {}

    /**
     * Idempotent: on later starts the model is already registered and only the artifact is checked into the store.
     *
     * @param devApiKeyHash SHA-256 of the dev API key, which the dev account allows to spend its escrow with this node
     */
    public static void run(Node node, KeyPair dev, Hash devApiKeyHash) throws Rejection {
        byte[] model = DevModel.onnxBytes();
        Hash digest = Sha256.hash(model);
        // The dev node is not ready (GET /v2/health/ready answers 503) until it serves its own model.
        node.models().expect(DevModel.NAME, DevModel.VERSION);
        if (!node.artifacts().contains(digest)) node.artifacts().put(digest, new ByteArrayInputStream(model));
        Address host = node.nodeKey().address();
        // The registration first (it is the first transaction of its block, which the explorer's browser test follows),
        // then the allowance of the dev API key, on every start whose key has none yet.
        if (node.chain().headState().get(StateKeys.modelName(DevModel.NAME)) == null) {
            submit(node, dev, new RegisterModel(DevModel.NAME, DevModel.VERSION, digest, model.length, DevModel.FORMAT, DevModel.LICENSE,
                    DEV_MODEL_PRICE, List.of(), List.of()));
            submit(node, dev, new HostModel(DevModel.NAME, DevModel.VERSION, 0));
            submit(node, dev, new Deposit(node.nodeKey().address(), DEV_ESCROW));
        }
        if (node.chain().headState().get(MarketRecords.allowanceKey(dev.address(), host, devApiKeyHash)) == null) {
            submit(node, dev, new AllowSpendingKey(host, devApiKeyHash, DEV_ESCROW, Long.MAX_VALUE));
        }
    }

    private static void submit(Node node, KeyPair dev, Payload payload) throws Rejection {
        long chainId = node.chain().transition().params().chainId();
        long nonce = node.pool().nextNonce(dev.address(), node.chain().headState());
        node.pool().add(new UnsignedTransaction(chainId, dev.publicKey(), nonce, 1, payload).sign(dev), node.chain().headState());
    }
}
