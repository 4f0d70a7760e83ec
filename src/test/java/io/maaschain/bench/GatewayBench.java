package io.maaschain.bench;

import io.maaschain.crypto.Hash;
import io.maaschain.crypto.Sha256;
import io.maaschain.ledger.tx.Deposit;
import io.maaschain.ledger.tx.HostModel;
import io.maaschain.ledger.tx.SetVisibility;
import io.maaschain.maas.access.ApiKeys;
import io.maaschain.maas.access.CallerAuthenticator;
import io.maaschain.maas.access.MeteredAccess;
import io.maaschain.maas.access.ReplayGuard;
import io.maaschain.maas.artifact.ArtifactStore;
import io.maaschain.maas.devmodel.DevModel;
import io.maaschain.maas.inference.InferenceGateway;
import io.maaschain.maas.inference.InferenceRequest;
import io.maaschain.maas.inference.ModelHost;
import io.maaschain.maas.inference.ModelRef;
import io.maaschain.maas.inference.ModelRegistry;
import io.maaschain.maas.inference.OipJson;
import io.maaschain.maas.inference.OnnxBackend;
import io.maaschain.maas.receipt.ReceiptLog;
import io.maaschain.storage.RocksDbStore;
import io.maaschain.testing.Fixtures;
import io.maaschain.testing.MarketChain;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Gateway overhead for BENCHMARKS.md: the same Iris model called (1) straight through ONNX Runtime, (2) through the
 * gateway without access control (JSON in and out), and (3) through the full gateway: API-key authentication, the
 * on-chain access and escrow check, metering, and a signed receipt written to the RocksDB WAL before the answer
 * (unsynced; the receipt log fsyncs in the background every 20 ms). Latency p50/p99 on one thread (on the Iris model,
 * and on a dense network with realistic compute, there both with JSON tensors and with the binary tensor data
 * extension), then receipted calls per second with several threads. The gateway calls are measured from the request
 * bytes to the response bytes (parse, checks, inference, receipt, encoding); HTTP itself is not included. The kinds
 * of call alternate in blocks of {@link #BLOCK} so that all see the same machine load.
 * Run: bench/run.sh gateway
 */
public final class GatewayBench {
    /** Consecutive calls of one kind in each round of {@link #interleaved}. */
    static final int BLOCK = 100;
    static final byte[] BODY = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.0,3.4,1.5,0.2]}]}"
            .getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        Path dir = Files.createTempDirectory("maaschain-gateway-bench");
        byte[] iris = DevModel.onnxBytes();
        Hash digest = Sha256.hash(iris);
        try (RocksDbStore db = RocksDbStore.open(dir.resolve("db"));
             ArtifactStore store = ArtifactStore.open(dir.resolve("artifacts"), ArtifactStore.Limits.DEFAULT);
             OnnxBackend direct = OnnxBackend.load(iris)) {
            MarketChain m = new MarketChain(db);
            m.apply(MarketChain.OWNER, MarketChain.model(DevModel.NAME, DevModel.VERSION, digest, iris.length, 1));
            m.apply(MarketChain.OWNER, new SetVisibility(DevModel.NAME, true));
            m.apply(MarketChain.NODE, new HostModel(DevModel.NAME, DevModel.VERSION, 1));
            m.apply(MarketChain.CALLER, new Deposit(MarketChain.NODE.address(), 500_000_000));
            store.put(digest, new ByteArrayInputStream(iris));
            ModelRegistry.InMemory registry = ModelRegistry.inMemory();
            registry.register(new ModelRef(DevModel.NAME, DevModel.VERSION, digest, iris.length, "onnx"));
            ModelHost host = new ModelHost(store, registry);
            host.serveLocal(DevModel.NAME, DevModel.VERSION);
            String key = ApiKeys.create(dir.resolve(ApiKeys.FILE), MarketChain.CALLER.address(), "bench", new SecureRandom(), 1);
            m.apply(MarketChain.CALLER, new io.maaschain.ledger.tx.AllowSpendingKey(MarketChain.NODE.address(), ApiKeys.hash(key), 500_000_000, Long.MAX_VALUE));
            ReceiptLog log = ReceiptLog.open(db, MarketChain.NODE, Fixtures.CHAIN_ID);
            MeteredAccess access = new MeteredAccess(m.chain, log,
                    new CallerAuthenticator(ApiKeys.open(dir.resolve(ApiKeys.FILE)), new ReplayGuard(System.currentTimeMillis() - 60_000)));
            InferenceGateway bare = new InferenceGateway(host);
            InferenceGateway metered = new InferenceGateway(host, new InferenceGateway.Hooks(access, access, access), OipJson.Limits.DEFAULT,
                    Clock.systemUTC());
            Map<String, String> headers = Map.of("authorization", "Bearer " + key);

            InferenceRequest request = OipJson.readRequest(BODY, OipJson.Limits.DEFAULT);
            Task directCall = () -> direct.infer(request);
            Task bareCall = () -> check(bare.infer(DevModel.NAME, DevModel.VERSION, BODY, null, Map.of()).status());
            Task meteredCall = () -> check(metered.infer(DevModel.NAME, DevModel.VERSION, BODY, null, headers).status());
            // Signed, paid calls: the caller signs each over a payment authorisation of 2 more coins (client side, before timing).
            int signedCalls = calls + calls / 4;
            List<Map<String, String>> signedHeaders = new java.util.ArrayList<>(signedCalls);
            long now = System.currentTimeMillis();
            String path = io.maaschain.maas.access.RequestSignature.inferPath(DevModel.NAME, DevModel.VERSION);
            for (int i = 0; i < signedCalls; i++) {
                Map<String, String> h = new HashMap<>();
                io.maaschain.maas.access.RequestSignature.signPaid(MarketChain.CALLER, Fixtures.CHAIN_ID, MarketChain.NODE.address(), 2L * (i + 1),
                        "POST", path, BODY, "bench-nonce-" + i, now).forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
                signedHeaders.add(h);
            }
            int[] nextSigned = {0};
            Task signedCall = () -> check(metered.infer(DevModel.NAME, DevModel.VERSION, BODY, null, signedHeaders.get(nextSigned[0]++)).status());
            // The floor of a receipted call: the node's Ed25519 signature over a receipt-sized message, SHA-256 of the request
            // and of the response bytes, and one unsynced RocksDB write of the receipt (what the receipt log appends).
            byte[] response = OipJson.writeResponse(direct.infer(request));
            byte[] receipt = new byte[300];
            Task floor;
            RocksDbStore floorDb = RocksDbStore.open(dir.resolve("floor-db"));
            long[] floorSeq = {0};
            floor = () -> {
                System.arraycopy(Sha256.hash(BODY).toBytes(), 0, receipt, 0, 32);
                System.arraycopy(Sha256.hash(response).toBytes(), 0, receipt, 32, 32);
                byte[] signature = MarketChain.NODE.sign(receipt).toBytes();
                try (var wb = floorDb.newBatch()) {
                    wb.put(io.maaschain.storage.Column.RECEIPTS, java.nio.ByteBuffer.allocate(8).putLong(floorSeq[0]++).array(),
                            java.util.Arrays.copyOf(receipt, receipt.length + signature.length));
                    wb.commitUnsynced();
                }
            };

            interleaved(calls / 4, directCall, bareCall, meteredCall, signedCall, floor); // warm-up
            long[][] all = interleaved(calls, directCall, bareCall, meteredCall, signedCall, floor);
            floorDb.close();
            long[] d = all[0];
            long[] b = all[1];
            long[] g = all[2];
            long[] sg = all[3];
            long[] fl = all[4];
            System.out.printf("RESULT gateway_latency calls=%d direct_p50_us=%.1f direct_p99_us=%.1f json_p50_us=%.1f json_p99_us=%.1f "
                            + "receipted_p50_us=%.1f receipted_p99_us=%.1f overhead_p50_us=%.1f overhead_p50_ratio=%.2f%n",
                    calls, us(d, 50), us(d, 99), us(b, 50), us(b, 99), us(g, 50), us(g, 99), us(g, 50) - us(d, 50), (us(g, 50) - us(d, 50)) / us(d, 50));
            double floorP50 = us(fl, 50);
            System.out.printf("RESULT gateway_floor calls=%d floor_p50_us=%.1f floor_p99_us=%.1f apikey_overhead_p50_us=%.1f apikey_vs_floor=%.2f "
                            + "signed_p50_us=%.1f signed_p99_us=%.1f signed_overhead_p50_us=%.1f signed_vs_floor=%.2f%n",
                    calls, floorP50, us(fl, 99), us(g, 50) - us(d, 50), (us(g, 50) - us(d, 50)) / floorP50,
                    us(sg, 50), us(sg, 99), us(sg, 50) - us(d, 50), (us(sg, 50) - us(d, 50)) / floorP50);
            byte[] dense = io.maaschain.maas.devmodel.TestModels.dense(256, 1024, 3);
            denseModel(m, store, registry, host, metered, headers, dense, "dense", 8, Math.max(200, calls / 20));
            denseModel(m, store, registry, host, metered, headers, dense, "dense64", 64, Math.max(100, calls / 100));
            double directRate = throughput(directCall, calls, threads);
            double receiptedRate = throughput(meteredCall, calls, threads);
            System.out.printf("RESULT gateway_throughput threads=%d direct_calls_s=%.0f receipted_calls_s=%.0f ratio=%.2f receipts=%d durable=%d%n",
                    threads, directRate, receiptedRate, receiptedRate / directRate, log.nextSeq(), log.sync());
            log.close();
            host.close();
        }
    }

    /**
     * The same comparison on a network with realistic compute per call (3 dense layers of 1,024 units) with batches
     * of {@code rows} inputs: most of the gateway's cost is fixed per call (its hashing grows with the tensors), so
     * its share shrinks as the call grows. Registered as its own model {@code name}.
     */
    static void denseModel(MarketChain m, ArtifactStore store, ModelRegistry.InMemory registry, ModelHost host, InferenceGateway metered,
                           Map<String, String> headers, byte[] model, String name, int rows, int calls) throws Exception {
        Hash digest = Sha256.hash(model);
        m.apply(MarketChain.OWNER, MarketChain.model(name, "1", digest, model.length, 1));
        m.apply(MarketChain.OWNER, new SetVisibility(name, true));
        m.apply(MarketChain.NODE, new HostModel(name, "1", 1));
        if (!store.contains(digest)) store.put(digest, new ByteArrayInputStream(model));
        registry.register(new ModelRef(name, "1", digest, model.length, "onnx"));
        host.serveLocal(name, "1");
        StringBuilder data = new StringBuilder();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < rows * 256; i++) data.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT, "%.4f", random.nextDouble()));
        byte[] body = ("{\"inputs\":[{\"name\":\"x\",\"shape\":[" + rows + ",256],\"datatype\":\"FP32\",\"data\":[" + data + "]}]}")
                .getBytes(StandardCharsets.UTF_8);
        try (OnnxBackend direct = OnnxBackend.load(model)) {
            InferenceRequest request = OipJson.readRequest(body, OipJson.Limits.DEFAULT);
            // The same request with the binary tensor data extension: input bytes after the JSON, output asked for in binary.
            InferenceRequest binaryRequest = new InferenceRequest(null, Map.of(), request.inputs(), List.of(), Map.of(), true);
            OipJson.Encoded binary = OipJson.encodeRequest(binaryRequest, output -> true);
            Map<String, String> binaryHeaders = new HashMap<>(headers);
            binaryHeaders.put(OipJson.HEADER_LENGTH_HEADER.toLowerCase(java.util.Locale.ROOT), Integer.toString(binary.jsonLength()));
            Task directCall = () -> direct.infer(request);
            Task meteredCall = () -> check(metered.infer(name, "1", body, null, headers).status());
            Task binaryCall = () -> {
                InferenceGateway.Reply r = metered.infer(name, "1", binary.body(), null, binaryHeaders);
                check(r.status());
                if (!r.hasBinary()) throw new IllegalStateException("the answer has no binary output");
            };
            interleaved(calls / 2, directCall, meteredCall, binaryCall); // warm-up
            long[][] all = interleaved(calls, directCall, meteredCall, binaryCall);
            long[] d = all[0];
            long[] g = all[1];
            long[] b = all[2];
            System.out.printf("RESULT gateway_" + name + " rows=" + rows + " calls=%d json_bytes=%d binary_bytes=%d direct_p50_us=%.1f direct_p99_us=%.1f "
                            + "receipted_p50_us=%.1f receipted_p99_us=%.1f overhead_p50_us=%.1f overhead_p50_ratio=%.3f "
                            + "binary_p50_us=%.1f binary_p99_us=%.1f binary_overhead_p50_us=%.1f binary_overhead_p50_ratio=%.3f%n",
                    calls, body.length, binary.body().length, us(d, 50), us(d, 99), us(g, 50), us(g, 99), us(g, 50) - us(d, 50),
                    (us(g, 50) - us(d, 50)) / us(d, 50), us(b, 50), us(b, 99), us(b, 50) - us(d, 50), (us(b, 50) - us(d, 50)) / us(d, 50));
        }
    }

    interface Task {
        void run() throws Exception;
    }

    static void check(int status) {
        if (status != 200) throw new IllegalStateException("call answered " + status);
    }

    /**
     * Latencies of {@code n} calls of each task, sorted, taken in rounds: each round runs a block of {@link #BLOCK}
     * consecutive calls of every task, so that every task sees the same machine (on a shared machine the load drifts
     * during a run) while each still runs back to back, as a client calling in a loop does (ONNX Runtime's thread
     * pool behaves differently when every call is followed by other work: interleaving single calls would slow the
     * direct calls down and flatter the gateway).
     */
    static long[][] interleaved(int n, Task... tasks) throws Exception {
        long[][] out = new long[tasks.length][n];
        for (int done = 0; done < n; done += BLOCK) {
            int m = Math.min(BLOCK, n - done);
            for (int j = 0; j < tasks.length; j++) {
                for (int i = done; i < done + m; i++) {
                    long t0 = System.nanoTime();
                    tasks[j].run();
                    out[j][i] = System.nanoTime() - t0;
                }
            }
        }
        for (long[] a : out) Arrays.sort(a);
        return out;
    }

    static double us(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e3;
    }

    static double throughput(Task t, int n, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int each = n / threads;
        long t0 = System.nanoTime();
        Future<?>[] fs = new Future<?>[threads];
        for (int i = 0; i < threads; i++) fs[i] = pool.submit(() -> {
            for (int k = 0; k < each; k++) t.run();
            return null;
        });
        for (Future<?> f : fs) f.get();
        double s = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return each * threads / s;
    }

}
