package io.streamgru.app.config;

import io.streamgru.model.online.FeatureScaling;
import io.streamgru.model.online.LearnerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies what a model's numbers mean: its shape and the meaning of its inputs and output.
 * Parameters, gradients and states with different hashes must never be mixed. Training settings
 * (learning rate, window, …) are not part of it: they may change between runs of the same model.
 * Computed in one place, {@link StreamGruConfig#configHash()}.
 */
final class ConfigHash {

    private ConfigHash() {
    }

    static String of(LearnerConfig c, List<String> featureNames, String target) {
        String canonical = String.join("|", "features=" + String.join(",", featureNames), "target=" + target,
                "horizon=" + c.horizon(), "autoregressive=" + c.autoregressive(), "residual=" + c.residual(),
                "hidden=" + c.hidden(), "layers=" + c.layers(), "head=" + c.head(), "headHidden=" + c.headHidden(),
                "normalize=" + c.normalize())
                // Settings added later enter only when not at their default: existing hashes stay.
                + (c.featureScaling() == FeatureScaling.SHARED ? "" : "|featureScaling=" + c.featureScaling().spec())
                + (c.linearPath() ? "|linearLags=" + c.linearLags() : "");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
