package io.streamgru.app.replay;

import io.streamgru.model.gru.GruModel;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.norm.WelfordNormalizer;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.SeriesLearner;
import io.streamgru.model.online.SeriesState;
import io.streamgru.model.online.SeriesStateCodec;
import io.streamgru.model.optim.GradientWindow;

/**
 * The warm start: every replayed key's state recomputed with the FINAL model, so the live learner
 * starts each key from what the model it will run knows, not from states built by the changing
 * models of the replay. Each key starts empty and its last records ({@link KeyTail}, {@code
 * --warm-steps} of them) go through a learner on the final parameters and the final normaliser
 * statistics (fresh copies per key: the warm-up changes neither). The chunks completed on the way
 * are back-propagated into a gradient window that is thrown away, so the state is exactly what the
 * live learner expects (pending chunk, forecasts awaiting their truth, last target and features).
 */
final class WarmStates {

    /** Receives each key's warm state. */
    @FunctionalInterface
    interface Sink {
        void accept(String seriesId, int partition, byte[] state);
    }

    private WarmStates() {
    }

    /** Computes the warm state of every key of {@code trainer}, in key order. */
    static void compute(ReplayTrainer trainer, Sink sink) {
        LearnerConfig config = trainer.config();
        ParameterLayout layout = new ParameterLayout(config.gruConfig());
        GruModel model = new GruModel(layout, trainer.parameters().clone());
        WelfordNormalizer features = SeriesLearner.newFeatureNormalizer(config);
        WelfordNormalizer target = SeriesLearner.newTargetNormalizer();
        double[] featureState = trainer.featureStats().exportState();
        double[] targetState = trainer.targetStats().exportState();
        GradientWindow discarded = new GradientWindow(layout.size(), Integer.MAX_VALUE);
        SeriesLearner learner = new SeriesLearner(config, model, features, target, discarded, discarded::clear);
        SeriesStateCodec codec = new SeriesStateCodec(config);
        double[] x = new double[config.features()];
        for (String id : trainer.keyIds()) {
            ReplayTrainer.Key key = trainer.key(id);
            features.importState(featureState);
            target.importState(targetState);
            SeriesState state = learner.newSeries();
            for (int i = 0; i < key.tail.size(); i++) {
                double y = key.tail.get(i, x);
                learner.observe(state, x, y);
            }
            sink.accept(id, key.partition, codec.encode(state));
        }
    }
}
