package io.maaschain.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a huge body with {@code Transfer-Encoding: chunked} over a raw socket, from a second thread, while reading the
 * answer, and records how far the heap of this JVM (where the test runs the server) grew meanwhile. After refusing, Jetty
 * drains and discards the rest of the body before closing (so the answer is not lost to a TCP reset): the client can
 * send all of it, but a server that keeps the body grows its heap by the body's size, and one that stops at its limit
 * by about the limit.
 */
final class ChunkedPost {
    /** Heap the server may use beside the body it keeps: Jetty's buffers, the answer, garbage not yet collected. */
    static final long HEAP_SLACK = 48L << 20;

    /** {@code heapGrowth}: the peak heap use of this JVM (server in-process) during the request, above the use before it. */
    record Outcome(int status, String contentType, JsonNode body, long bytesSent, long heapGrowth) {}

    private ChunkedPost() {}

    /** POSTs (or PUTs) {@code prefix} followed by filler bytes up to {@code totalBytes}, chunked. */
    static Outcome send(int port, String method, String path, String contentType, byte[] prefix, long totalBytes) throws Exception {
        return send(port, method, path, contentType, java.util.Map.of(), prefix, totalBytes);
    }

    /** The same, with extra request headers (e.g. a request signature). */
    static Outcome send(int port, String method, String path, String contentType, java.util.Map<String, String> headers, byte[] prefix,
                        long totalBytes) throws Exception {
        StringBuilder extra = new StringBuilder();
        headers.forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
        System.gc();
        long before = heapUsed();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                    + "\r\n" + extra + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    if (prefix.length > 0) writeChunk(out, prefix); // an empty chunk would end the body
                    sent.addAndGet(prefix.length);
                    byte[] filler = new byte[64 * 1024];
                    Arrays.fill(filler, (byte) 'a');
                    while (sent.get() < totalBytes) {
                        writeChunk(out, filler);
                        sent.addAndGet(filler.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // The server closed the connection after refusing the body: expected.
                }
            }, "chunked-writer");
            writer.setDaemon(true);
            writer.start();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            String type = header(head, "content-type");
            String length = header(head, "content-length");
            byte[] body = length != null ? in.readNBytes(Integer.parseInt(length.trim())) : readChunked(in);
            // The server closes the connection after refusing: the writer fails soon after, and what it got through is
            // all the server (and the socket buffers in between) ever took.
            writer.join(30_000);
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
            }
            return new Outcome(status, type, Json.MAPPER.readTree(body), sent.get(), peak - before);
        }
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) used += pool.getUsage().getUsed();
        }
        return used;
    }

    private static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') break;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) return line.substring(colon + 1).trim();
        }
        return null;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') size.append((char) c);
            int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (n == 0) return body.toByteArray();
            body.write(in.readNBytes(n));
            in.readNBytes(2);
        }
    }
}
