package io.streamgru.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.model.gru.HeadType;
import io.streamgru.model.online.FeatureScaling;
import io.streamgru.model.online.LearnerConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The config hash decides whether a running deployment keeps its model: deriving it from the
 * settings' declarations must give every existing configuration the hash it always had.
 */
class ConfigHashTest {

    static final List<String> FEATURES = List.of("humidity", "pressure");

    /** The canonical text the first release hashed, written out by hand. */
    static String firstReleaseHash(LearnerConfig c, List<String> features, String target) throws Exception {
        String canonical = String.join("|", "features=" + String.join(",", features), "target=" + target,
                "horizon=" + c.horizon(), "autoregressive=" + c.autoregressive(), "residual=" + c.residual(),
                "hidden=" + c.hidden(), "layers=" + c.layers(), "head=" + c.head(), "headHidden=" + c.headHidden(),
                "normalize=" + c.normalize());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    /** A builder resolving unset settings as the first releases did (no linear path among them). */
    private static LearnerConfig.Builder firstRelease() {
        return LearnerConfig.builder().defaultsOf(LearnerConfig.DefaultsOf.BEFORE_AUTOREGRESSIVE_AT_HORIZON_0);
    }

    @Test
    void everyConfigurationOfTheFirstReleaseKeepsItsHash() throws Exception {
        List<LearnerConfig> configs = List.of(
                firstRelease().features(2).build(),
                firstRelease().build(),
                firstRelease().features(2).horizon(0).build(),
                firstRelease().features(2).horizon(0).autoregressive(true).residual(false).build(),
                firstRelease().features(2).hidden(64).layers(2).head(HeadType.MLP).headHidden(16).build(),
                firstRelease().features(2).normalize(false).horizon(6).build());
        for (LearnerConfig c : configs) {
            assertThat(ConfigHash.of(c, FEATURES, "temperature")).as(c.toString())
                    .isEqualTo(firstReleaseHash(c, FEATURES, "temperature"));
        }
    }

    @Test
    void aSettingAddedLaterEntersOnlyWhenNotAtItsDefault() throws Exception {
        LearnerConfig shared = firstRelease().features(2).featureScaling(FeatureScaling.SHARED).build();
        LearnerConfig perKey = firstRelease().features(2).featureScaling(FeatureScaling.PER_KEY).build();

        assertThat(ConfigHash.of(shared, FEATURES, "t")).isEqualTo(firstReleaseHash(shared, FEATURES, "t"));
        assertThat(ConfigHash.of(perKey, FEATURES, "t")).isNotEqualTo(ConfigHash.of(shared, FEATURES, "t"));
    }

    @Test
    void theLinearPathOnByDefaultEntersTheHashAndNoPathLeavesItAsTheEarlierReleasesHadIt() throws Exception {
        LearnerConfig withPath = LearnerConfig.builder().features(2).build();
        LearnerConfig noPath = withPath.toBuilder().linearLags(0).build();
        LearnerConfig beforeThePath = LearnerConfig.builder().defaultsOf(LearnerConfig.DefaultsOf.BEFORE_LINEAR_PATH)
                .features(2).build();

        assertThat(withPath.linearLags()).isEqualTo(8);
        assertThat(ConfigHash.of(noPath, FEATURES, "t")).isEqualTo(firstReleaseHash(noPath, FEATURES, "t"))
                .isEqualTo(ConfigHash.of(beforeThePath, FEATURES, "t"))
                .isNotEqualTo(ConfigHash.of(withPath, FEATURES, "t"));
        // The path's own rate is a training setting.
        assertThat(ConfigHash.of(withPath.toBuilder().linearGruSchedule("constant").build(), FEATURES, "t"))
                .isEqualTo(ConfigHash.of(withPath, FEATURES, "t"));
    }

    @Test
    void trainingSettingsLeaveTheHashAlone() {
        LearnerConfig base = LearnerConfig.builder().features(2).build();
        LearnerConfig retuned = base.toBuilder().learningRate(0.001).window(64).chunk(8).optimizer("sgd")
                .schedule("constant").seed(7).driftPolicy("reset-moments").build();
        assertThat(ConfigHash.of(retuned, FEATURES, "t")).isEqualTo(ConfigHash.of(base, FEATURES, "t"));
    }

    @Test
    void whatTheNumbersMeanChangesTheHash() {
        LearnerConfig base = LearnerConfig.builder().features(2).build();
        String hash = ConfigHash.of(base, FEATURES, "t");
        assertThat(ConfigHash.of(base.toBuilder().hidden(33).build(), FEATURES, "t")).isNotEqualTo(hash);
        assertThat(ConfigHash.of(base.toBuilder().horizon(2).build(), FEATURES, "t")).isNotEqualTo(hash);
        assertThat(ConfigHash.of(base, List.of("pressure", "humidity"), "t")).isNotEqualTo(hash);
        assertThat(ConfigHash.of(base, FEATURES, "u")).isNotEqualTo(hash);
    }
}
