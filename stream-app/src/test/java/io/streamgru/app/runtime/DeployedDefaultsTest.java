package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelVersion;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A change of defaults never changes what a running deployment's numbers mean: a horizon-0
 * deployment with features whose model was trained without the autoregressive input (the previous
 * default) keeps it off, and its configuration hash; a new deployment gets this release's defaults.
 */
class DeployedDefaultsTest {

    private static Settings settings(String... extra) {
        Map<String, String> m = new HashMap<>(Map.of("app.id", "plant", "kafka.bootstrap.servers", "unused:9092",
                "input.topics", "sensors", "input.features", "load", "input.target", "power",
                "learner.horizon", "0"));
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return Settings.of(m, "test");
    }

    private static Optional<ModelVersion> trainedUnder(StreamGruConfig c) {
        return Optional.of(ModelVersion.initial(c.learner(), c.configHash()).renumbered(7, "optimizer", 0));
    }

    @Test
    void aNewDeploymentAtHorizonZeroFeedsTheLastKnownTarget() {
        StreamGruConfig c = DeployedDefaults.resolve(settings(), config -> Optional.empty());

        assertThat(c.learner().autoregressive()).isTrue();
        assertThat(c.learner().inputSize()).isEqualTo(3);
    }

    @Test
    void aDeploymentTrainedUnderThePreviousDefaultKeepsItsMeaningAndHash() {
        StreamGruConfig previous = StreamGruConfig.withPreviousDefaults(settings());
        assertThat(previous.learner().autoregressive()).isFalse();

        StreamGruConfig c = DeployedDefaults.resolve(settings(), config -> trainedUnder(previous));

        assertThat(c.learner().autoregressive()).isFalse();
        assertThat(c.configHash()).isEqualTo(previous.configHash())
                .isNotEqualTo(StreamGruConfig.from(settings()).configHash());
    }

    @Test
    void aDeploymentAlreadyOnThisReleasesDefaultsKeepsThem() {
        StreamGruConfig current = StreamGruConfig.from(settings());

        StreamGruConfig c = DeployedDefaults.resolve(settings(), config -> trainedUnder(current));

        assertThat(c.learner().autoregressive()).isTrue();
        assertThat(c.configHash()).isEqualTo(current.configHash());
    }

    @Test
    void settingsThatResolveAlikeNeedNoLookup() {
        AtomicInteger lookups = new AtomicInteger();
        DeployedDefaults.resolve(settings("learner.autoregressive", "false"), config -> {
            lookups.incrementAndGet();
            return Optional.empty();
        });
        DeployedDefaults.resolve(settings("learner.horizon", "1"), config -> {
            lookups.incrementAndGet();
            return Optional.empty();
        });

        assertThat(lookups).hasValue(0);
    }

    @Test
    void aFailedLookupFallsBackToThisReleasesDefaults() {
        StreamGruConfig c = DeployedDefaults.resolve(settings(), config -> {
            throw new IllegalStateException("timed out reading plant-model");
        });

        assertThat(c.learner().autoregressive()).isTrue();
    }
}
