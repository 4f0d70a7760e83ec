package io.maaschain.p2p;

import io.maaschain.crypto.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores and bans by node key. A score starts at 0, drops by each misbehavior's penalty and recovers by one point per
 * {@code recoveryMillis} up to 0 again. At or below the threshold the peer is banned for {@code banMillis}. Both maps
 * are bounded: the oldest entries are forgotten first.
 */
final class PeerScores {
    static final int BAN_THRESHOLD = -100;
    private static final int MAX_ENTRIES = 10_000;

    private record Score(int value, long updatedMillis) {}

    private final long banMillis;
    private final long recoveryMillis;
    private final Map<PublicKey, Score> scores = bounded();
    private final Map<PublicKey, BanInfo> bans = bounded();

    PeerScores(long banMillis, long recoveryMillis) {
        this.banMillis = banMillis;
        this.recoveryMillis = recoveryMillis;
    }

    private static <V> Map<PublicKey, V> bounded() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PublicKey, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    synchronized int score(PublicKey id, long now) {
        Score s = scores.get(id);
        if (s == null) return 0;
        long recovered = recoveryMillis <= 0 ? 0 : Math.max(0, now - s.updatedMillis) / recoveryMillis;
        return (int) Math.min(0, s.value + recovered);
    }

    /** Lowers the score; returns the ban if this pushed it to the threshold. */
    synchronized Optional<BanInfo> penalize(PublicKey id, Misbehavior m, String detail, long now) {
        int next = score(id, now) - m.penalty;
        scores.put(id, new Score(next, now));
        if (next > BAN_THRESHOLD) return Optional.empty();
        BanInfo ban = new BanInfo(id, now + banMillis, m + ": " + detail);
        bans.put(id, ban);
        scores.remove(id);
        return Optional.of(ban);
    }

    synchronized Optional<BanInfo> ban(PublicKey id, long now) {
        BanInfo b = bans.get(id);
        if (b == null) return Optional.empty();
        if (b.untilMillis() <= now) {
            bans.remove(id);
            return Optional.empty();
        }
        return Optional.of(b);
    }

    synchronized List<BanInfo> bans(long now) {
        bans.values().removeIf(b -> b.untilMillis() <= now);
        return new ArrayList<>(bans.values());
    }
}
