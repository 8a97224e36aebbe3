package io.streamgru.app.config;

import java.util.Collection;
import java.util.Optional;

/**
 * The known name (a setting, a topic) a mistyped one most likely meant: the nearest by edit distance (insertions,
 * deletions, substitutions), if it is near enough to be a typo: at most one edit in four characters,
 * at most three.
 */
public final class KeySuggestion {

    private KeySuggestion() {
    }

    public static Optional<String> nearest(String key, Collection<String> known) {
        int allowed = Math.max(1, Math.min(3, key.length() / 4));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(key, candidate);
            if (d < bestDistance || d == bestDistance && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, two rows. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
