package io.streamgru.app.runtime;

import io.streamgru.app.config.ClientProperties;
import io.streamgru.app.config.EnvironmentException;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import io.streamgru.model.online.LearnerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a deployment's meaning across a change of defaults. Three defaults changed since releases
 * that may be running:
 * <ul>
 * <li>The last known target is an input at horizon 0 too; a deployment at horizon 0 with features
 * that left {@code learner.autoregressive} unset was trained without it.</li>
 * <li>The linear path is on wherever the autoregressive input is ({@code learner.linear.lags} 8); a
 * deployment that left it unset has a model without one.</li>
 * <li>Forecasts are the combination of experts ({@code learner.combine}); a deployment of a release
 * before it published its model's own forecasts. The combination changes no number of the model
 * (it is not in the hash), so the hash cannot tell: each model version says whether the deployment
 * that made it published the combination ({@link ModelVersion#combined()}; false from releases before it).</li>
 * </ul>
 * The first two change the model (another input size, another shape) and so its configuration hash,
 * which its model versions, key states and forecasts carry; starting such a deployment with this
 * release's defaults would be another model that the running one's versions must not be mixed with.
 * So before {@code run} or {@code replay} starts, when the settings resolve differently under earlier
 * defaults: if the newest version on {@code <app>-model} carries the hash of an earlier release's
 * resolution ({@link LearnerConfig.DefaultsOf}), that resolution is kept; and if that version was made
 * without the combination and {@code learner.combine} was left unset, the combination stays off. A
 * warning says so and how to change: a new {@code app.id} or {@code model.name}, or setting the option
 * explicitly. A new deployment (no version yet) gets this release's defaults. If the lookup fails,
 * this release's defaults are used and a deployed model of an earlier meaning stops the learners on
 * its hash (ModelTracker), never mixed (the combination, which changes no number, would then be on).
 * Settings that resolve alike under all (every explicit choice) need no lookup.
 */
public final class DeployedDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(DeployedDefaults.class);

    /** Earlier releases' defaults, newest first. */
    private static final List<LearnerConfig.DefaultsOf> EARLIER = List.of(
            LearnerConfig.DefaultsOf.BEFORE_LINEAR_PATH, LearnerConfig.DefaultsOf.BEFORE_AUTOREGRESSIVE_AT_HORIZON_0);

    /** How long the lookup of the newest version may take once the cluster has answered. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    private DeployedDefaults() {
    }

    /** The configuration to run: this release's defaults, unless the deployed model was trained under earlier ones. */
    public static StreamGruConfig resolve(Settings settings) {
        return resolve(settings, DeployedDefaults::newestOnRecord);
    }

    /**
     * The newest version on the model topic, after the start's own check of the cluster: an unusable
     * cluster is reported in its one line now ({@link EnvironmentException}), instead of after this
     * lookup has waited out its timeout and the check its own.
     */
    private static Optional<ModelVersion> newestOnRecord(StreamGruConfig config) {
        try (Admin admin = Admin.create(ClientProperties.admin(config))) {
            EnvironmentChecks.kafka(admin, config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while asking the Kafka cluster", e);
        }
        return new ModelTopicReader(config, LOOKUP_TIMEOUT).latest();
    }

    /** As {@link #resolve(Settings)}, with the newest published version read by {@code newest} (called at most once). */
    public static StreamGruConfig resolve(Settings settings, Function<StreamGruConfig, Optional<ModelVersion>> newest) {
        StreamGruConfig current = StreamGruConfig.from(settings);
        List<StreamGruConfig> earlier = new ArrayList<>();
        for (LearnerConfig.DefaultsOf release : EARLIER) {
            earlier.add(StreamGruConfig.withDefaultsOf(settings, release));
        }
        boolean hashDiffers = earlier.stream().anyMatch(e -> !e.configHash().equals(current.configHash()));
        // Explicit choices resolve alike under all: a difference means learner.combine was left unset.
        boolean combineUnset = earlier.stream().anyMatch(e -> e.learner().combine() != current.learner().combine());
        if (!hashDiffers && !combineUnset) {
            return current;
        }
        Optional<ModelVersion> deployed;
        try {
            deployed = newest.apply(current);
        } catch (EnvironmentException e) {
            throw e;
        } catch (RuntimeException e) {
            // The start's own checks report an unreachable cluster; should a model of an earlier
            // meaning exist after all, the learners stop on its hash rather than mix it with this one.
            // A timeout is that unreachable cluster (a warning would add a second line to the check's
            // report for what it says better), as is a lookup when only the combination, which changes
            // no number of the model, is at stake.
            if (hashDiffers && !isTimeout(e)) {
                LOG.warn("could not read the deployed model to choose between defaults ({}): using this release's",
                        e.toString());
            } else {
                LOG.debug("could not read the deployed model to choose between defaults ({}): using this release's",
                        e.toString());
            }
            return current;
        }
        if (deployed.isEmpty()) {
            return current;
        }
        ModelVersion model = deployed.get();
        StreamGruConfig chosen = current;
        if (!model.configHash().equals(current.configHash())) {
            for (StreamGruConfig e : earlier) {
                if (model.configHash().equals(e.configHash())) {
                    LOG.warn("model '{}' (version {}) was trained under an earlier release's defaults (autoregressive "
                                    + "input {} at horizon {}, linear path {}): keeping them, configuration {}. This "
                                    + "release's defaults (configuration {}) need a new app.id or model.name, or set "
                                    + "learner.autoregressive and learner.linear.lags explicitly",
                            current.modelName(), model.version(), e.learner().autoregressive() ? "on" : "off",
                            e.learner().horizon(), e.learner().linearLags() == 0 ? "off" : "on", e.configHash(),
                            current.configHash());
                    chosen = e;
                    break;
                }
            }
        }
        if (combineUnset && chosen.learner().combine() != model.combined()) {
            if (!model.combined()) {
                LOG.warn("model '{}' (version {}) was published by a deployment whose forecasts are its model's own: "
                                + "keeping them (learner.combine off). Set learner.combine explicitly to combine them "
                                + "with persistence (docs/QUALITY.md)", current.modelName(), model.version());
            }
            return withCombination(chosen, model.combined());
        }
        return chosen;
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static StreamGruConfig withCombination(StreamGruConfig c, boolean combine) {
        return new StreamGruConfig(c.appId(), c.modelName(), c.input(), c.output(),
                c.learner().toBuilder().combine(combine).build(), c.streaming(), c.kafka(), c.registry(), c.http());
    }
}
