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
 * Keeps a deployment's meaning across a change of defaults. This release feeds the last known
 * target at horizon 0 too; a deployment at horizon 0 with features that left
 * {@code learner.autoregressive} unset was trained without it, and its model versions, key states
 * and forecasts carry the configuration hash of that meaning. Starting it with the new default
 * would be another model (another input size and hash) that the running one's versions must not
 * be mixed with. So before {@code run} or {@code replay} starts: when the settings resolve to a
 * different hash under the previous defaults, and the newest version on {@code <app>-model}
 * carries that previous hash, the previous resolution is kept (a warning says so and how to
 * change: a new {@code app.id} or {@code model.name}, or setting the option explicitly). A new
 * deployment (no version yet) gets this release's defaults. If the lookup fails, this release's
 * defaults are used and a deployed model of the previous meaning stops the learners on its hash
 * (ModelTracker), never mixed. Settings that resolve alike under
 * both (every explicit choice, every horizon ≥ 1) need no lookup.
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
        if (previous.configHash().equals(current.configHash())) {
            return current;
        }
        Optional<ModelVersion> deployed;
        try {
            deployed = newest.apply(current);
        } catch (RuntimeException e) {
            // The start's own checks report an unreachable cluster; should a model of the previous
            // meaning exist after all, the learners stop on its hash rather than mix it with this one.
            LOG.warn("could not read the deployed model to choose between defaults ({}): using this release's",
                    e.toString());
            return current;
        }
        if (deployed.isPresent() && deployed.get().configHash().equals(previous.configHash())) {
            LOG.warn("model '{}' (version {}) was trained under the previous defaults (autoregressive input {} at "
                            + "horizon {}): keeping them, configuration {}. This release's defaults (configuration {}) "
                            + "need a new app.id or model.name, or set learner.autoregressive explicitly",
                    current.modelName(), deployed.get().version(), previous.learner().autoregressive() ? "on" : "off",
                    previous.learner().horizon(), previous.configHash(), current.configHash());
            return previous;
        }
        return current;
    }
}
