package io.streamgru.app.replay;

import io.streamgru.app.model.ModelVersion;

/** Builds the model version a replay publishes (one place for the record's shape). */
final class ReplayModelVersions {

    private ReplayModelVersions() {
    }

    static ModelVersion of(long version, String configHash, double[] parameters, double[] featureStats,
                           double[] targetStats, double[] optimizerState, long optimizerSteps, long samplesTrained,
                           long createdAt, double loss) {
        return new ModelVersion(version, configHash, parameters, featureStats, targetStats, optimizerState,
                optimizerSteps, samplesTrained, createdAt);
    }
}
