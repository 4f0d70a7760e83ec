package io.maaschain.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.maaschain.codec.CodecException;
import io.maaschain.codec.Hex;
import io.maaschain.crypto.Hash;
import io.maaschain.maas.access.MeteredAccess;
import io.maaschain.maas.receipt.ReceiptEvidence;
import io.maaschain.maas.receipt.ReceiptProofs;
import io.maaschain.maas.receipt.SignedReceipt;

/**
 * Receipts over REST (docs/receipts.md): {@code GET /api/v1/receipts/{id}} answers a receipt of this node with its
 * signature and, once settled, the batch range, its Merkle inclusion proof in the batch root, the batch transaction,
 * its block and its inclusion proof against the block's tx root. Also puts the receipt of every inference call in
 * the response headers ({@code X-Maaschain-Receipt-Id}, {@code -Seq}, {@code -Signature}, {@code X-Maaschain-Receipt},
 * {@code X-Maaschain-Fee}), denials and failures included.
 */
public final class ReceiptRoutes {
    public static final String RECEIPT_ID_HEADER = "X-Maaschain-Receipt-Id";
    public static final String RECEIPT_SEQ_HEADER = "X-Maaschain-Receipt-Seq";
    public static final String RECEIPT_SIGNATURE_HEADER = "X-Maaschain-Receipt-Signature";
    public static final String RECEIPT_HEADER = "X-Maaschain-Receipt";
    public static final String FEE_HEADER = "X-Maaschain-Fee";

    private final ReceiptProofs proofs;
    private final MeteredAccess access;

    /** @param access the gateway hooks whose receipts go into inference response headers, or null for none */
    public ReceiptRoutes(ReceiptProofs proofs, MeteredAccess access) {
        this.proofs = proofs;
        this.access = access;
    }

    public void register(Javalin app) {
        app.get("/api/v1/receipts/{id}", this::receipt);
        if (access != null) {
            app.after("/v2/models/*", this::receiptHeaders);
        }
    }

    private void receipt(Context ctx) {
        Hash id;
        try {
            id = Hash.fromHex(ctx.pathParam("id"));
        } catch (CodecException e) {
            throw ApiException.badRequest("MALFORMED", "a receipt id is 64 hex digits");
        }
        ReceiptEvidence e = proofs.evidence(id).orElseThrow(() -> ApiException.notFound("receipt " + id));
        ctx.json(e.toJson());
    }

    private void receiptHeaders(Context ctx) {
        access.takeLastIssued().ifPresent(r -> headers(ctx, r));
    }

    static void headers(Context ctx, SignedReceipt r) {
        ctx.header(RECEIPT_ID_HEADER, r.id().toHex());
        ctx.header(RECEIPT_SEQ_HEADER, Long.toString(r.receipt().seq()));
        ctx.header(RECEIPT_SIGNATURE_HEADER, r.signature().toHex());
        ctx.header(RECEIPT_HEADER, Hex.encode(r.encoding()));
        ctx.header(FEE_HEADER, Long.toString(r.receipt().fee()));
    }
}
