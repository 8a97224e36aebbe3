package io.streamgru.app.versions;

import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.ModelInitialization;
import io.streamgru.model.online.SeriesLearner;

/**
 * One published version of the shared model: everything a learner needs to forecast with it and
 * everything the optimizer needs to continue from it.
 *
 * @param version          1, 2, 3, … (0 = the initial parameters from the seed, never published)
 * @param configHash       hash of the learner configuration the parameters belong to
 * @param parameters       flat parameters in PyTorch state_dict order
 * @param featureStats     merged feature normaliser state
 * @param targetStats      merged target normaliser state
 * @param optimizerState   the optimizer's exported state (moments, step count); empty = a fresh optimizer
 * @param optimizerSteps   optimizer steps taken so far
 * @param samplesTrained   samples (labelled steps) the model has learned from
 * @param createdAt        epoch milliseconds when this version was made
 * @param origin           who made it: {@value #FROM_OPTIMIZER}, {@code replay}, {@code import},
 *                         {@code rollback:N}, …
 * @param loss             mean training loss per sample of the step that made it (NaN when unknown)
 * @param combined         whether the deployment that made it published the combination of experts
 *                         ({@code learner.combine}); false from releases before the combination, so that a
 *                         deployment of such a release keeps publishing its model's own forecasts
 *                         ({@code runtime.DeployedDefaults}). Not part of the model: it changes no number.
 */
public record ModelVersion(long version, String configHash, double[] parameters, double[] featureStats,
                           double[] targetStats, double[] optimizerState, long optimizerSteps, long samplesTrained,
                           long createdAt, String origin, double loss, boolean combined) {

    /** A version of a deployment that publishes its model's own forecasts (no combination of experts). */
    public ModelVersion(long version, String configHash, double[] parameters, double[] featureStats,
                        double[] targetStats, double[] optimizerState, long optimizerSteps, long samplesTrained,
                        long createdAt, String origin, double loss) {
        this(version, configHash, parameters, featureStats, targetStats, optimizerState, optimizerSteps,
                samplesTrained, createdAt, origin, loss, false);
    }

    /** The origin of versions the live optimizer makes. */
    public static final String FROM_OPTIMIZER = "optimizer";

    /**
     * Version 0: the parameters drawn from the configuration's seed, empty statistics, a fresh
     * optimizer. Deterministic, so every instance computes the same one without a round trip.
     */
    public static ModelVersion initial(LearnerConfig config, String configHash) {
        return new ModelVersion(0, configHash, ModelInitialization.initialParameters(config),
                SeriesLearner.newFeatureNormalizer(config).exportState(),
                SeriesLearner.newTargetNormalizer().exportState(), new double[0], 0, 0, 0, "initial", Double.NaN,
                config.combine());
    }

    /** The same contents as version {@code number}, made by {@code newOrigin} at {@code now}. */
    public ModelVersion renumbered(long number, String newOrigin, long now) {
        return new ModelVersion(number, configHash, parameters, featureStats, targetStats, optimizerState,
                optimizerSteps, samplesTrained, now, newOrigin, loss, combined);
    }
}
