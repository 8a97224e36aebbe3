package io.streamgru.app.runtime;

import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelTopicReader;
import io.streamgru.app.versions.ModelVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a deployment's meaning across a change of defaults. Two defaults changed since releases
 * that may be running:
 * <ul>
 * <li>The last known target is an input at horizon 0 too; a deployment at horizon 0 with features
 * that left {@code learner.autoregressive} unset was trained without it, and its model versions, key
 * states and forecasts carry the configuration hash of that meaning. Starting it with the new
 * default would be another model (another input size and hash) that the running one's versions must
 * not be mixed with.</li>
 * <li>Forecasts are the combination of experts ({@code learner.combine}); a deployment of a release
 * before it published its model's own forecasts. The combination changes no number of the model
 * (it is not in the hash), so the hash cannot tell: each model version says whether the deployment
 * that made it published the combination ({@link ModelVersion#combined()}; false from releases before it).</li>
 * </ul>
 * So before {@code run} or {@code replay} starts, when the settings resolve differently under the
 * previous defaults: if the newest version on {@code <app>-model} carries the previous hash, the
 * previous resolution is kept (no combination either: that release predates it); else if it was made
 * without the combination and {@code learner.combine} was left unset, the combination stays off. A
 * warning says so and how to change: a new {@code app.id} or {@code model.name}, or setting the option
 * explicitly. A new deployment (no version yet) gets this release's defaults. If the lookup fails,
 * this release's defaults are used and a deployed model of the previous meaning stops the learners on
 * its hash (ModelTracker), never mixed (the combination, which changes no number, would then be on).
 * Settings that resolve alike under both (every explicit choice) need no lookup.
 */
public final class DeployedDefaults {

    private static final Logger LOG = LoggerFactory.getLogger(DeployedDefaults.class);

    private DeployedDefaults() {
    }

    /** The configuration to run: this release's defaults, unless the deployed model was trained under the previous ones. */
    public static StreamGruConfig resolve(Settings settings) {
        return resolve(settings, c -> new ModelTopicReader(c, Duration.ofSeconds(30)).latest());
    }

    /** As {@link #resolve(Settings)}, with the newest published version read by {@code newest} (called at most once). */
    public static StreamGruConfig resolve(Settings settings, Function<StreamGruConfig, Optional<ModelVersion>> newest) {
        StreamGruConfig current = StreamGruConfig.from(settings);
        StreamGruConfig previous = StreamGruConfig.withPreviousDefaults(settings);
        boolean hashDiffers = !previous.configHash().equals(current.configHash());
        // Explicit choices resolve alike under both: a difference means learner.combine was left unset.
        boolean combineUnset = previous.learner().combine() != current.learner().combine();
        if (!hashDiffers && !combineUnset) {
            return current;
        }
        Optional<ModelVersion> deployed;
        try {
            deployed = newest.apply(current);
        } catch (RuntimeException e) {
            // The start's own checks report an unreachable cluster; should a model of the previous
            // meaning exist after all, the learners stop on its hash rather than mix it with this one.
            // When only the combination is at stake (no number of the model), a warning would add a
            // second line to that report for what the check says better.
            if (hashDiffers) {
                LOG.warn("could not read the deployed model to choose between defaults ({}): using this release's",
                        e.toString());
            } else {
                LOG.debug("could not read the deployed model to choose learner.combine ({}): on", e.toString());
            }
            return current;
        }
        if (deployed.isEmpty()) {
            return current;
        }
        ModelVersion model = deployed.get();
        if (hashDiffers && model.configHash().equals(previous.configHash())) {
            LOG.warn("model '{}' (version {}) was trained under the previous defaults (autoregressive input {} at "
                            + "horizon {}, forecasts not combined): keeping them, configuration {}. This release's "
                            + "defaults (configuration {}) need a new app.id or model.name, or set "
                            + "learner.autoregressive and learner.combine explicitly",
                    current.modelName(), model.version(), previous.learner().autoregressive() ? "on" : "off",
                    previous.learner().horizon(), previous.configHash(), current.configHash());
            return previous;
        }
        if (combineUnset && !model.combined()) {
            LOG.warn("model '{}' (version {}) was published by a deployment whose forecasts are its model's own: "
                            + "keeping them (learner.combine off). Set learner.combine explicitly to combine them "
                            + "with persistence (docs/QUALITY.md)", current.modelName(), model.version());
            return withoutCombination(current);
        }
        return current;
    }

    private static StreamGruConfig withoutCombination(StreamGruConfig c) {
        return new StreamGruConfig(c.appId(), c.modelName(), c.input(), c.output(),
                c.learner().toBuilder().combine(false).build(), c.streaming(), c.kafka(), c.registry(), c.http());
    }
}
