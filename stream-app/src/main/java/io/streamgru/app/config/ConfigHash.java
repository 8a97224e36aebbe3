package io.streamgru.app.config;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.LearnerSetting;
import io.streamgru.model.online.LearnerSetting.Hash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies what a model's numbers mean: its shape and the meaning of its inputs and output.
 * Parameters, gradients and states with different hashes must never be mixed. Training settings
 * (learning rate, window, …) are not part of it: they may change between runs of the same model.
 * Which learner settings enter is declared in {@link LearnerConfig#SETTINGS}: the
 * {@link Hash#ALWAYS} ones in table order, then each {@link Hash#WHEN_NOT_DEFAULT} one only when
 * not at its default (its neutral value), so a setting added later leaves existing hashes (and models) as they were.
 * Computed in one place, {@link StreamGruConfig#configHash()}.
 */
final class ConfigHash {

    private ConfigHash() {
    }

    static String of(LearnerConfig c, List<String> featureNames, String target) {
        List<String> parts = new ArrayList<>();
        parts.add("features=" + String.join(",", featureNames));
        parts.add("target=" + target);
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            if (s.hashMembership() == Hash.ALWAYS) {
                parts.add(s.hashText(c));
            }
        }
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            if (s.hashMembership() == Hash.WHEN_NOT_DEFAULT && !s.isHashNeutralIn(c)) {
                parts.add(s.hashText(c));
            }
        }
        return digest(String.join("|", parts));
    }

    private static String digest(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
