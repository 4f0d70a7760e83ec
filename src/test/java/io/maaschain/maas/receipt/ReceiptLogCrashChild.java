package io.maaschain.maas.receipt;

import io.maaschain.storage.RocksDbStore;
import java.io.PrintStream;
import java.nio.file.Path;

/** Run in a child JVM by {@link ReceiptLogTest}: appends receipts forever on four threads, printing each acknowledged number. */
public final class ReceiptLogCrashChild {
    private ReceiptLogCrashChild() {}

    public static void main(String[] args) throws Exception {
        RocksDbStore store = RocksDbStore.open(Path.of(args[0]));
        ReceiptLog log = ReceiptLog.open(store, ReceiptLogTest.NODE, 1337);
        PrintStream out = new PrintStream(System.out, false);
        for (int t = 0; t < 4; t++) {
            int base = t * 1_000_000;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    long seq = log.append(ReceiptLogTest.draft(base + i)).receipt().seq();
                    synchronized (out) {
                        out.println(seq);
                        out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
