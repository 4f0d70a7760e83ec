package io.maaschain.maas.receipt;

import io.maaschain.codec.CodecException;
import io.maaschain.crypto.Hash;
import io.maaschain.ledger.block.Header;
import io.maaschain.ledger.block.HeaderCodec;
import io.maaschain.ledger.tx.ReceiptBatch;
import io.maaschain.ledger.tx.Transaction;
import io.maaschain.ledger.tx.TransactionCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a receipt and its proofs from the evidence alone (docs/receipts.md, "Verifying a receipt"): the node's
 * signature, the receipt's inclusion in the batch root, that the batch transaction is the node's, signed, and names
 * that range and root, that it is in the block (tx proof against the header's tx root), and the header's hash.
 * Whether that header is on the canonical chain is the caller's part: against a node, or a chain export.
 */
public final class ReceiptVerifier {
    private ReceiptVerifier() {}

    /** One named check and its outcome. */
    public record Check(String name, boolean ok, String detail) {}

    /** All checks made, in order; {@code header} is the decoded header when the evidence got that far. */
    public record Report(List<Check> checks, Header header, Transaction batchTx) {
        public boolean ok() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
        }

        /** The first failed check, as a sentence. */
        public String failure() {
            return checks.stream().filter(c -> !c.ok()).findFirst().map(c -> c.name() + ": " + c.detail()).orElse(null);
        }
    }

    /**
     * Verifies {@code e}. With {@code requireSettlement}, evidence without a batch or a settlement fails; without it,
     * only the parts present are checked.
     */
    public static Report verify(ReceiptEvidence e, boolean requireSettlement) {
        List<Check> checks = new ArrayList<>();
        SignedReceipt sr = e.receipt();
        Receipt r = sr.receipt();
        Hash id = sr.id();
        checks.add(new Check("node signature", sr.hasValidSignature(),
                sr.hasValidSignature() ? "valid Ed25519 signature by node key " + r.nodeKey() : "the signature does not verify under node key " + r.nodeKey()));
        if (!checks.getLast().ok()) return new Report(checks, null, null);

        ReceiptEvidence.Batch b = e.batch();
        if (b == null) {
            if (requireSettlement) checks.add(new Check("batch", false, "the receipt is " + e.status() + ": the evidence holds no batch; fetch it again once settled"));
            return new Report(checks, null, null);
        }
        boolean inRange = b.firstSeq() <= r.seq() && r.seq() <= b.lastSeq();
        boolean shape = inRange && b.proof().index() == r.seq() - b.firstSeq() && b.proof().treeSize() == b.lastSeq() - b.firstSeq() + 1;
        boolean included = shape && b.proof().verify(id, b.receiptsRoot());
        checks.add(new Check("batch inclusion", included, !inRange ? "receipt " + r.seq() + " is outside the batch " + b.firstSeq() + ".." + b.lastSeq()
                : !shape ? "the proof's leaf index or tree size does not match the receipt's place in the batch"
                : included ? "receipt is leaf " + (r.seq() - b.firstSeq()) + " of " + b.proof().treeSize() + " under root " + b.receiptsRoot()
                : "the Merkle path does not lead from the receipt id to the batch root"));
        if (!included) return new Report(checks, null, null);

        ReceiptEvidence.Settlement s = e.settlement();
        if (s == null) {
            if (requireSettlement) checks.add(new Check("settlement", false, "the batch is " + e.status() + ": no block holds it yet; fetch the receipt again later"));
            return new Report(checks, null, null);
        }
        Transaction tx;
        try {
            tx = TransactionCodec.decode(s.tx());
        } catch (CodecException ex) {
            checks.add(new Check("batch transaction", false, "does not decode: " + ex.getMessage()));
            return new Report(checks, null, null);
        }
        String txProblem = null;
        if (!tx.hash().equals(b.txHash())) txProblem = "its hash " + tx.hash() + " is not the batch's tx hash " + b.txHash();
        else if (!tx.hasValidSignature()) txProblem = "its signature does not verify";
        else if (!tx.sender().equals(r.node())) txProblem = "it was sent by " + tx.sender() + ", not by the receipt's node " + r.node();
        else if (tx.chainId() != r.chainId()) txProblem = "it is for chain " + tx.chainId() + ", the receipt for chain " + r.chainId();
        else if (!(tx.payload() instanceof ReceiptBatch rb)) txProblem = "it is not a ReceiptBatch";
        else if (rb.firstSeq() != b.firstSeq() || rb.lastSeq() != b.lastSeq() || !rb.receiptsRoot().equals(b.receiptsRoot())) {
            txProblem = "it settles receipts " + rb.firstSeq() + ".." + rb.lastSeq() + " under root " + rb.receiptsRoot() + ", not the batch's";
        } else if (BatchBuilder.billable(r) && rb.charges().stream().noneMatch(c -> c.caller().equals(r.caller())
                && c.name().equals(r.modelName()) && c.version().equals(r.modelVersion()))) {
            txProblem = "it bills no charge to " + r.caller() + " for " + r.modelName() + "/" + r.modelVersion();
        }
        checks.add(new Check("batch transaction", txProblem == null, txProblem != null ? txProblem
                : "ReceiptBatch " + b.firstSeq() + ".." + b.lastSeq() + " signed by the node, tx " + tx.hash()));
        if (txProblem != null) return new Report(checks, null, tx);

        Header header;
        try {
            header = HeaderCodec.decode(s.header());
        } catch (CodecException ex) {
            checks.add(new Check("block header", false, "does not decode: " + ex.getMessage()));
            return new Report(checks, null, tx);
        }
        boolean hashOk = header.hash().equals(s.blockHash()) && header.height() == s.blockHeight();
        checks.add(new Check("block header", hashOk, hashOk ? "H2(header) = " + s.blockHash() + " at height " + header.height()
                : "the header hashes to " + header.hash() + " at height " + header.height() + ", the evidence names " + s.blockHash() + " at " + s.blockHeight()));
        if (!hashOk) return new Report(checks, header, tx);
        boolean txShape = s.txProof().index() == s.txIndex() && s.txProof().treeSize() == header.txCount();
        boolean inBlock = txShape && s.txProof().verify(tx.hash(), header.txRoot());
        checks.add(new Check("tx inclusion", inBlock, !txShape ? "the proof's leaf index or tree size does not match the tx index and the header's tx count"
                : inBlock ? "tx is " + s.txIndex() + " of " + header.txCount() + " under the header's tx root " + header.txRoot()
                : "the Merkle path does not lead from the tx hash to the header's tx root"));
        return new Report(checks, header, tx);
    }
}
