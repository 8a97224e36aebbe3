package io.streamgru.app.versions;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.HeadType;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.io.StateDict;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.TrainingStep;
import io.streamgru.model.online.SeriesLearner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a model read from a file into the contents of a version of an application's model: checks
 * the tensors against the shape the application's configuration needs, and decides where the
 * normaliser statistics and the optimizer state come from, saying so in notes.
 *
 * <p>Statistics: the file's if it carries valid ones (StreamGRU wrote it), else the newest
 * published version's, else fresh. Optimizer state: the file's if it carries one for the same
 * optimizer (an Avro snapshot), else fresh — the step count, and with it the learning-rate
 * schedule, then starts again from 0.
 */
public final class ModelImport {

    /** The origin of imported versions. */
    public static final String ORIGIN = "import";

    /**
     * What to publish, and the decisions taken on the way.
     *
     * @param contents the version to publish (its number and time are set when published)
     * @param notes    one line per decision or difference worth knowing
     */
    public record Fitted(ModelVersion contents, List<String> notes) {
    }

    private ModelImport() {
    }

    /**
     * @param newest the newest published version of the application's model, if any
     * @throws IllegalArgumentException naming every mismatching tensor with both shapes, if the
     *                                  file's tensors do not have the shapes the application needs
     */
    public static Fitted fit(ModelFile file, StreamGruConfig app, Optional<ModelVersion> newest) {
        LearnerConfig c = app.learner();
        ParameterLayout layout = new ParameterLayout(c.gruConfig());
        double[] parameters;
        try {
            parameters = StateDict.fromTensors(layout, file.tensors());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model does not fit app '" + app.appId() + "', whose model "
                    + describe(c) + ": " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        if (file.config() != null) {
            semanticDifferences(file.config(), c, notes);
        }
        if (file.featureNames() != null && !file.featureNames().equals(app.input().features())) {
            notes.add("the file's model was trained on features " + file.featureNames() + ", the app reads "
                    + app.input().features() + " (same count, imported as they are)");
        }
        if (file.target() != null && !file.target().equals(app.input().target())) {
            notes.add("the file's model forecasts '" + file.target() + "', the app's target is '"
                    + app.input().target() + "'");
        }

        double[] featureStats;
        double[] targetStats;
        String invalid = invalidStatistics(file, c);
        if (file.featureStats() != null && file.targetStats() != null && invalid == null) {
            featureStats = file.featureStats();
            targetStats = file.targetStats();
            notes.add("normaliser statistics: from the file");
        } else {
            String why = invalid != null ? "the file's do not fit (" + invalid + ")" : "the file carries none";
            if (newest.isPresent() && newest.get().configHash().equals(configHash(app))) {
                featureStats = newest.get().featureStats();
                targetStats = newest.get().targetStats();
                notes.add("normaliser statistics: kept from version " + newest.get().version() + " (" + why + ")");
            } else {
                featureStats = SeriesLearner.newFeatureNormalizer(c).exportState();
                targetStats = SeriesLearner.newTargetNormalizer().exportState();
                notes.add("normaliser statistics: fresh (" + why + " and no version of this configuration is published)");
            }
        }

        double[] optimizerState = new double[0];
        long optimizerSteps = 0;
        if (file.optimizerState() == null) {
            notes.add("optimizer state: fresh (the file carries none); the learning-rate schedule starts again");
        } else {
            String fileOptimizer = file.config() == null ? "?" : file.config().optimizer();
            String problem = null;
            long steps = 0;
            if (!fileOptimizer.equalsIgnoreCase(c.optimizer())) {
                problem = "it is " + fileOptimizer + "'s, the app uses " + c.optimizer();
            } else {
                try {
                    steps = new TrainingStep(c, 1, file.optimizerState(), null, null).optimizer().steps();
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            if (problem == null) {
                optimizerState = file.optimizerState();
                optimizerSteps = steps;
                notes.add("optimizer state: from the file (" + optimizerSteps + " steps)");
            } else {
                notes.add("optimizer state: fresh, the file's does not fit (" + problem + ")");
            }
        }
        ModelVersion contents = new ModelVersion(0, configHash(app), parameters, featureStats, targetStats,
                optimizerState, optimizerSteps, file.samplesTrained(), 0, ORIGIN, file.loss(), app.learner().combine());
        return new Fitted(contents, notes);
    }

    /** The application's model in words: inputs, hidden units, layers, head. */
    public static String describe(LearnerConfig c) {
        GruConfig g = c.gruConfig();
        String inputs = c.features() + (c.features() == 1 ? " feature" : " features")
                + (c.autoregressive() ? " + " + LearnerConfig.AUTOREGRESSIVE_INPUTS + " autoregressive" : "");
        return "reads " + g.inputSize() + " inputs (" + inputs + "), hidden " + g.hiddenSize() + ", "
                + g.layers() + (g.layers() == 1 ? " layer, " : " layers, ")
                + (g.head() == HeadType.LINEAR ? "linear head" : "MLP head of " + g.headHidden());
    }

    private static void semanticDifferences(LearnerConfig file, LearnerConfig app, List<String> notes) {
        List<String> diffs = new ArrayList<>();
        if (file.horizon() != app.horizon()) {
            diffs.add("horizon " + file.horizon() + " (app: " + app.horizon() + ")");
        }
        if (file.autoregressive() != app.autoregressive()) {
            diffs.add("autoregressive " + file.autoregressive() + " (app: " + app.autoregressive() + ")");
        }
        if (file.residual() != app.residual()) {
            diffs.add("residual " + file.residual() + " (app: " + app.residual() + ")");
        }
        if (file.normalize() != app.normalize()) {
            diffs.add("normalize " + file.normalize() + " (app: " + app.normalize() + ")");
        }
        if (!diffs.isEmpty()) {
            notes.add("the file's model was trained with " + String.join(", ", diffs)
                    + "; the parameters are imported as they are and will adapt");
        }
    }

    private static String invalidStatistics(ModelFile file, LearnerConfig c) {
        if (file.featureStats() == null || file.targetStats() == null) {
            return null;
        }
        try {
            SeriesLearner.newFeatureNormalizer(c).importState(file.featureStats());
            WelfordNormalizer target = SeriesLearner.newTargetNormalizer();
            target.importState(file.targetStats());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage().toLowerCase(Locale.ROOT);
        }
    }

    private static String configHash(StreamGruConfig app) {
        return app.configHash();
    }
}
