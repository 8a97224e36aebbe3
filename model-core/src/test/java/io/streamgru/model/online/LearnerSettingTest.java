package io.streamgru.model.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.model.online.LearnerSetting.Hash;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The learner's settings are declared once, in {@link LearnerConfig#SETTINGS}, and mean what they say. */
class LearnerSettingTest {

    /** A valid value other than the default for every setting, as a user writes it. */
    static final Map<String, String> OTHER_VALUES = Map.ofEntries(
            Map.entry("horizon", "3"), Map.entry("autoregressive", "false"), Map.entry("residual", "false"),
            Map.entry("hidden", "7"), Map.entry("layers", "2"), Map.entry("head", "MLP"), Map.entry("head.hidden", "5"),
            Map.entry("normalize", "off"), Map.entry("chunk", "4"), Map.entry("window", "8"),
            Map.entry("optimizer", "rmsprop"), Map.entry("lr", "0.003"), Map.entry("schedule", "step:100:0.5"),
            Map.entry("clip", "0"), Map.entry("weight.decay", "0.01"), Map.entry("loss", "huber"),
            Map.entry("huber.delta", "0.5"), Map.entry("loss.at", "last"), Map.entry("init", "orthogonal"),
            Map.entry("seed", "-7"), Map.entry("learn", "no"), Map.entry("drift.detector", "adwin"),
            Map.entry("drift.policy", "reset-moments"), Map.entry("feature.scaling", "per-key"), Map.entry("chunk.influence", "0"),
            Map.entry("interval.level", "0.8"), Map.entry("linear.lags", "4"), Map.entry("linear.gru.schedule", "exp:0.9"),
            Map.entry("combine", "off"), Map.entry("season", "24"), Map.entry("key.ttl", "30d"));

    @Test
    void aBuilderStartsFromEveryDeclaredDefault() {
        LearnerConfig defaults = LearnerConfig.builder().features(2).build();
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            if (s.defaultValue() != null) {
                assertThat((Object) s.valueIn(defaults)).as(s.key()).isEqualTo(s.defaultValue());
                assertThat(s.isDefaultIn(defaults)).as(s.key()).isTrue();
            }
        }
    }

    @Test
    void everySettingReachesTheConfigurationAndReadsBack() {
        assertThat(OTHER_VALUES.keySet()).as("a test value for every declared setting")
                .containsExactlyInAnyOrderElementsOf(LearnerConfig.SETTINGS.stream().map(LearnerSetting::key).toList());
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            assertReadsBack(s, OTHER_VALUES.get(s.key()));
        }
    }

    private static <T> void assertReadsBack(LearnerSetting<T> s, String text) {
        T value = s.parse(text);
        LearnerConfig.Builder b = LearnerConfig.builder().features(2);
        s.applyTo(b, value);
        LearnerConfig config = b.build();
        assertThat((Object) s.valueIn(config)).as(s.key()).isEqualTo(value);
        assertThat(s.isDefaultIn(config)).as(s.key() + " = " + text + " is not the default").isFalse();
    }

    @Test
    void valuesOutsideTheirBoundsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> LearnerConfig.builder().hidden(0).build()).hasMessage("hidden must be >= 1, got 0");
        assertThatThrownBy(() -> LearnerConfig.builder().learningRate(-1).build()).hasMessage("lr must be > 0.0, got -1.0");
        assertThatThrownBy(() -> LearnerConfig.builder().intervalLevel(1).build())
                .hasMessage("interval.level must be > 0 and < 1, got 1.0");
        assertThatThrownBy(() -> LearnerConfig.builder().schedule("step:0:0.5").build())
                .hasMessageContaining("schedule").hasMessageContaining("must be >= 1");
        LearnerSetting<?> hidden = LearnerConfig.setting("hidden").orElseThrow();
        assertThatThrownBy(() -> hidden.parse("lots")).hasMessage("must be an integer");
        assertThatThrownBy(() -> hidden.parse("0")).hasMessage("must be >= 1, got 0");
        assertThatThrownBy(() -> LearnerConfig.setting("optimizer").orElseThrow().parse("adamax"))
                .hasMessage("must be one of sgd, momentum, nesterov, adam, adamw, rmsprop");
        assertThatThrownBy(() -> LearnerConfig.setting("normalize").orElseThrow().parse("maybe"))
                .hasMessage("must be true or false");
    }

    @Test
    void flagAndHashNameFollowFromTheKey() {
        LearnerSetting<?> headHidden = LearnerConfig.setting("head.hidden").orElseThrow();
        assertThat(headHidden.flag()).isEqualTo("--head-hidden");
        assertThat(headHidden.hashName()).isEqualTo("headHidden");
        assertThat(headHidden.hashText(LearnerConfig.builder().build())).isEqualTo("headHidden=32");
        assertThatThrownBy(() -> LearnerSetting.of("Head_Hidden", LearnerSetting.Type.integer(1, 9),
                LearnerConfig.Builder::headHidden, LearnerConfig::headHidden)).hasMessageContaining("lower-case words");
    }

    @Test
    void theFirstReleasesHashedSettingsComeFirstInTheirOrderAndNoOtherIsAlwaysHashed() {
        List<String> always = LearnerConfig.SETTINGS.stream().filter(s -> s.hashMembership() == Hash.ALWAYS)
                .map(LearnerSetting::key).toList();
        assertThat(always).containsExactly("horizon", "autoregressive", "residual", "hidden", "layers", "head",
                "head.hidden", "normalize");
        assertThat(LearnerConfig.SETTINGS.subList(0, always.size()).stream().map(LearnerSetting::key).toList())
                .isEqualTo(always);
    }

    @Test
    void aSettingHashedOnlyWhenNotAtItsDefaultNeedsAFixedDefault() {
        LearnerSetting<Boolean> derived = LearnerSetting.of("residual", LearnerSetting.Type.onOff(),
                LearnerConfig.Builder::residual, LearnerConfig::residual).derivedDefault("on with the input");
        assertThatThrownBy(() -> derived.hash(Hash.WHEN_NOT_DEFAULT)).hasMessageContaining("fixed default");
    }

    @Test
    void keysAreUnique() {
        Set<String> keys = new TreeSet<>();
        for (LearnerSetting<?> s : LearnerConfig.SETTINGS) {
            assertThat(keys.add(s.key())).as(s.key() + " declared once").isTrue();
        }
    }
}
