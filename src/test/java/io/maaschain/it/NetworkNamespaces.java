package io.maaschain.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Hosts on one machine: one Linux network namespace per node, each with a veth pair into a bridge. Moving a
 * node's veth to a second bridge partitions the network; moving it back heals it. Needs root and iproute2.
 */
final class NetworkNamespaces implements AutoCloseable {
    private final String tag;
    private final int hosts;
    private final List<String> created = new ArrayList<>();

    NetworkNamespaces(int hosts) {
        this.tag = Integer.toString((int) (ProcessHandle.current().pid() % 10_000), 36);
        this.hosts = hosts;
    }

    /** Why namespaces cannot be used here, or empty if they can. */
    static Optional<String> unavailableReason() {
        try {
            Process id = new ProcessBuilder("id", "-u").start();
            String uid = new String(id.getInputStream().readAllBytes()).trim();
            if (!"0".equals(uid)) return Optional.of("not running as root (uid " + uid + "): cannot create network namespaces");
            // Listing works without privileges; only creating one proves we may (containers often lack CAP_SYS_ADMIN).
            String probe = "mcprobe" + ProcessHandle.current().pid();
            if (!tryRun("ip", "netns", "add", probe)) return Optional.of("'ip netns add' is not permitted here (no CAP_SYS_ADMIN?)");
            tryRun("ip", "netns", "del", probe);
            if (!tryRun("ip", "link", "add", probe.substring(0, Math.min(15, probe.length())), "type", "bridge")) {
                return Optional.of("creating a bridge is not permitted here (no CAP_NET_ADMIN?)");
            }
            tryRun("ip", "link", "del", probe.substring(0, Math.min(15, probe.length())));
            Process curl = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            curl.getInputStream().readAllBytes();
            if (curl.waitFor() != 0) return Optional.of("curl is not installed");
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("iproute2 or curl is missing: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    String ns(int i) {
        return "mc" + tag + "n" + i;
    }

    String address(int i) {
        return "10.77.0." + (i + 1);
    }

    private String veth(int i) {
        return "mc" + tag + "v" + i;
    }

    private String bridge(String side) {
        return "mc" + tag + "b" + side;
    }

    List<String> exec(int i) {
        return List.of("ip", "netns", "exec", ns(i));
    }

    NetworkNamespaces up() throws IOException, InterruptedException {
        for (String side : List.of("A", "B")) {
            run("ip", "link", "add", bridge(side), "type", "bridge");
            created.add("link:" + bridge(side));
            run("ip", "link", "set", bridge(side), "up");
        }
        for (int i = 0; i < hosts; i++) {
            run("ip", "netns", "add", ns(i));
            created.add("ns:" + ns(i));
            run("ip", "link", "add", veth(i), "type", "veth", "peer", "name", veth(i) + "p");
            created.add("link:" + veth(i));
            run("ip", "link", "set", veth(i) + "p", "netns", ns(i));
            run("ip", "netns", "exec", ns(i), "ip", "addr", "add", address(i) + "/24", "dev", veth(i) + "p");
            run("ip", "netns", "exec", ns(i), "ip", "link", "set", veth(i) + "p", "up");
            run("ip", "netns", "exec", ns(i), "ip", "link", "set", "lo", "up");
            // A little delay makes the links behave like a network; netem is optional (not every kernel has it).
            if (!tryRun("ip", "netns", "exec", ns(i), "tc", "qdisc", "add", "dev", veth(i) + "p", "root", "netem", "delay", "5ms")) {
                if (i == 0) System.err.println("tc netem is not available: links run without added delay");
            }
            run("ip", "link", "set", veth(i), "master", bridge("A"));
            run("ip", "link", "set", veth(i), "up");
        }
        return this;
    }

    /** Hosts in {@code isolated} can reach each other but none of the others. */
    void partition(List<Integer> isolated) throws IOException, InterruptedException {
        for (int i : isolated) run("ip", "link", "set", veth(i), "master", bridge("B"));
    }

    void heal() throws IOException, InterruptedException {
        for (int i = 0; i < hosts; i++) run("ip", "link", "set", veth(i), "master", bridge("A"));
    }

    /** An HTTP GET from inside host i's namespace (its REST API listens on that namespace's loopback). */
    String httpGet(int i, String url) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(exec(i));
        cmd.addAll(List.of("curl", "-s", "--max-time", "5", url));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    private static boolean tryRun(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }

    @Override
    public void close() {
        for (String c : created.reversed()) {
            try {
                if (c.startsWith("ns:")) run("ip", "netns", "del", c.substring(3));
                else run("ip", "link", "del", c.substring(5));
            } catch (IOException | InterruptedException e) {
                // best effort: a veth disappears with its namespace
            }
        }
    }
}
