package io.streamgru.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.model.online.LearnerConfig.DefaultsOf;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A change of defaults never changes what a running deployment's numbers mean: a horizon-0
 * deployment with features whose model was trained without the autoregressive input (an earlier
 * default) keeps it off, and its configuration hash; a deployment whose model has no linear path
 * keeps none; a deployment that published its model's own forecasts keeps publishing them (no
 * combination of experts); a new deployment gets this release's defaults.
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
        StreamGruConfig previous = StreamGruConfig.withDefaultsOf(settings(), DefaultsOf.BEFORE_AUTOREGRESSIVE_AT_HORIZON_0);
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
        DeployedDefaults.resolve(settings("learner.autoregressive", "false", "learner.combine", "true"), config -> {
            lookups.incrementAndGet();
            return Optional.empty();
        });
        DeployedDefaults.resolve(settings("learner.horizon", "1", "learner.combine", "false", "learner.linear.lags", "8"),
                config -> {
            lookups.incrementAndGet();
            return Optional.empty();
        });

        assertThat(lookups).hasValue(0);
    }

    @Test
    void aNewDeploymentCombinesItsForecastsWithTheExperts() {
        assertThat(DeployedDefaults.resolve(settings("learner.horizon", "1"), config -> Optional.empty())
                .learner().combine()).isTrue();
    }

    @Test
    void aDeploymentThatPublishedItsModelsOwnForecastsKeepsDoingSoWithItsHash() {
        StreamGruConfig current = StreamGruConfig.withDefaultsOf(settings("learner.horizon", "1"),
                DefaultsOf.BEFORE_LINEAR_PATH);
        // A version of a release before the combination (read as not combined), of that release's hash.
        Optional<ModelVersion> before = Optional.of(new ModelVersion(7, current.configHash(), new double[0],
                new double[0], new double[0], new double[0], 0, 0, 0, "optimizer", Double.NaN));

        StreamGruConfig c = DeployedDefaults.resolve(settings("learner.horizon", "1"), config -> before);

        assertThat(c.learner().combine()).isFalse();
        assertThat(c.configHash()).as("the combination changes no number of the model").isEqualTo(current.configHash());
        assertThat(c.learner().toBuilder().combine(true).build()).isEqualTo(current.learner());
        // Set explicitly, the combination is on whatever the deployed version says.
        assertThat(DeployedDefaults.resolve(settings("learner.horizon", "1", "learner.combine", "true"),
                config -> before).learner().combine()).isTrue();
    }

    @Test
    void aDeploymentThatCombinedKeepsCombining() {
        StreamGruConfig current = StreamGruConfig.from(settings("learner.horizon", "1"));

        StreamGruConfig c = DeployedDefaults.resolve(settings("learner.horizon", "1"), config -> trainedUnder(current));

        assertThat(trainedUnder(current).orElseThrow().combined()).isTrue();
        assertThat(c.learner().combine()).isTrue();
    }

    @Test
    void aHorizonZeroDeploymentOfTheReleaseBeforeBothDefaultsKeepsBoth() {
        StreamGruConfig previous = StreamGruConfig.withDefaultsOf(settings(), DefaultsOf.BEFORE_AUTOREGRESSIVE_AT_HORIZON_0);

        StreamGruConfig c = DeployedDefaults.resolve(settings(), config -> trainedUnder(previous));

        assertThat(c.learner().autoregressive()).isFalse();
        assertThat(c.learner().combine()).isFalse();
    }

    @Test
    void aNewDeploymentHasTheLinearPathWhereTheAutoregressiveInputIs() {
        assertThat(DeployedDefaults.resolve(settings("learner.horizon", "1"), config -> Optional.empty())
                .learner().linearLags()).isEqualTo(8);
        assertThat(DeployedDefaults.resolve(settings("learner.autoregressive", "false"), config -> Optional.empty())
                .learner().linearLags()).isZero();
    }

    @Test
    void aDeploymentOfTheReleaseBeforeTheLinearPathKeepsNoneAndKeepsCombining() {
        for (String horizon : new String[] {"0", "1"}) {
            StreamGruConfig before = StreamGruConfig.withDefaultsOf(settings("learner.horizon", horizon),
                    DefaultsOf.BEFORE_LINEAR_PATH);
            assertThat(before.learner().autoregressive()).isTrue();
            assertThat(before.configHash()).isNotEqualTo(StreamGruConfig.from(settings("learner.horizon", horizon))
                    .configHash());

            StreamGruConfig c = DeployedDefaults.resolve(settings("learner.horizon", horizon),
                    config -> trainedUnder(before));

            assertThat(c.learner().linearLags()).as("horizon " + horizon).isZero();
            assertThat(c.learner().autoregressive()).isTrue();
            assertThat(c.learner().combine()).isTrue();
            assertThat(c.configHash()).isEqualTo(before.configHash());
        }
    }

    @Test
    void aFailedLookupFallsBackToThisReleasesDefaults() {
        StreamGruConfig c = DeployedDefaults.resolve(settings(), config -> {
            throw new IllegalStateException("timed out reading plant-model");
        });

        assertThat(c.learner().autoregressive()).isTrue();
    }

    @Test
    void anUnreachableClusterIsReportedInTheStartsOneLineBeforeAnyLookupWaits() {
        // Nothing listens on port 1. Without the check first, the lookup waited out its 30 s, fell back
        // to this release's defaults, and the start then waited again for its own check.
        Settings unreachable = settings("kafka.bootstrap.servers", "127.0.0.1:1",
                "kafka.default.api.timeout.ms", "2000", "kafka.request.timeout.ms", "1000");

        assertThatThrownBy(() -> DeployedDefaults.resolve(unreachable))
                .isInstanceOf(EnvironmentException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("within 2 s");
    }
}
