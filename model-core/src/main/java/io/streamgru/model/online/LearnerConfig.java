package io.streamgru.model.online;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.drift.DriftDetectorSpec;
import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.gru.HeadType;
import java.util.Objects;

/**
 * Everything that defines an online forecaster: what it reads, the model's shape and how it
 * trains. Build one with {@link #builder()}; unset fields keep the documented defaults.
 *
 * @param features        number of feature inputs per record (0 = univariate)
 * @param horizon         0 = estimate this record's target; H ≥ 1 = forecast the target H records ahead
 * @param autoregressive  feed the latest known target, and its change since the one before, as two extra inputs
 * @param residual        predict the change from the autoregressive input rather than the level
 * @param hidden          GRU units per layer
 * @param layers          stacked GRU layers
 * @param head            output head type
 * @param headHidden      hidden units of an MLP head
 * @param chunk           truncated-BPTT chunk length k (steps)
 * @param window          samples accumulated before one optimizer step (W)
 * @param optimizer       sgd, momentum, nesterov, adam, adamw or rmsprop
 * @param learningRate    base learning rate
 * @param schedule        learning-rate schedule spec (see {@code ScheduleSpec})
 * @param clip            global gradient-norm clip (≤ 0: none)
 * @param weightDecay     weight decay (L2 for sgd/adam/rmsprop, decoupled for adamw)
 * @param loss            mse, l1, huber or cross-entropy
 * @param huberDelta      Huber threshold (in normalised units)
 * @param lossAtLastStep  loss only at the last step of each chunk instead of at every step
 * @param normalize       online z-score of inputs and target
 * @param init            parameter initialisation: pytorch, xavier or orthogonal
 * @param seed            seed of all randomness
 * @param learn           false = inference only
 * @param driftDetector   the drift detector each series' prequential error feeds ({@link DriftDetectorSpec})
 * @param driftPolicy     what the optimizer does on a drift: a {@link DriftPolicy} spec (none, boost:F:S, reset-moments)
 * @param featureScaling  whose statistics z-score the features (the target is always scaled per key)
 * @param linearLags      the linear path beside the GRU (LSTNet's highway): a linear function of the
 *                        step's model inputs and of the series' last {@code linearLags} normalised
 *                        target changes (the newest is the autoregressive input), added to the head's
 *                        output; 0 = no linear path. Needs the autoregressive input.
 */
public record LearnerConfig(int features, int horizon, boolean autoregressive, boolean residual, int hidden, int layers,
                            HeadType head, int headHidden, int chunk, int window, String optimizer,
                            double learningRate, String schedule, double clip, double weightDecay, String loss,
                            double huberDelta, boolean lossAtLastStep, boolean normalize, String init, long seed,
                            boolean learn, DriftDetectorSpec driftDetector, String driftPolicy,
                            FeatureScaling featureScaling, int linearLags) {

    public LearnerConfig {
        require(features >= 0, "features must be >= 0, got " + features);
        require(horizon >= 0, "horizon must be >= 0, got " + horizon);
        require(features > 0 || autoregressive,
                "a univariate model (no features) needs the autoregressive input: it has nothing else to read");
        require(!residual || autoregressive, "a residual forecast needs the autoregressive input it adds its change to");
        require(hidden >= 1, "hidden must be >= 1, got " + hidden);
        require(layers >= 1, "layers must be >= 1, got " + layers);
        require(chunk >= 1, "chunk must be >= 1, got " + chunk);
        require(window >= 1, "window must be >= 1, got " + window);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        require(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        require(!"cross-entropy".equals(loss), "cross-entropy is for sequence classification, not forecasting");
        Objects.requireNonNull(driftDetector, "driftDetector");
        Objects.requireNonNull(featureScaling, "featureScaling");
        require(linearLags >= 0 && linearLags <= MAX_LINEAR_LAGS,
                "linear lags must be in [0, " + MAX_LINEAR_LAGS + "], got " + linearLags);
        require(linearLags == 0 || autoregressive,
                "the linear path reads the target's history: it needs the autoregressive input");
        DriftPolicy.parse(driftPolicy); // validates
    }

    /** A fresh drift policy as configured (the optimizer's owner keeps one, with its state). */
    public DriftPolicy newDriftPolicy() {
        return DriftPolicy.parse(driftPolicy);
    }

    /** Number of model inputs: the features, then the two autoregressive inputs (level, last change). */
    public int inputSize() {
        return features + (autoregressive ? AUTOREGRESSIVE_INPUTS : 0);
    }

    /** The autoregressive input is the latest known target and its last change. */
    public static final int AUTOREGRESSIVE_INPUTS = 2;

    /** The most target changes the linear path may read (each costs 16 bytes of every key's state). */
    public static final int MAX_LINEAR_LAGS = 64;

    /** Whether the model has a linear path beside the GRU. */
    public boolean linearPath() {
        return linearLags > 0;
    }

    /**
     * Inputs of the linear path per step: the step's model inputs ({@link #inputSize()}), then the
     * {@code linearLags − 1} target changes before the newest (which is among the model inputs).
     */
    public int linearInputs() {
        return linearLags == 0 ? 0 : inputSize() + linearLags - 1;
    }

    /** The GRU shape this configuration trains: one output, the (normalised) target. */
    public GruConfig gruConfig() {
        return new GruConfig(inputSize(), hidden, layers, 1, head, head == HeadType.MLP ? headHidden : 0,
                linearInputs());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.features = features;
        b.horizon = horizon;
        b.autoregressive = autoregressive;
        b.autoregressiveSet = autoregressive;
        b.residual = residual;
        b.residualSet = residual;
        b.hidden = hidden;
        b.layers = layers;
        b.head = head;
        b.headHidden = headHidden;
        b.chunk = chunk;
        b.window = window;
        b.optimizer = optimizer;
        b.learningRate = learningRate;
        b.schedule = schedule;
        b.clip = clip;
        b.weightDecay = weightDecay;
        b.loss = loss;
        b.huberDelta = huberDelta;
        b.lossAtLastStep = lossAtLastStep;
        b.normalize = normalize;
        b.init = init;
        b.seed = seed;
        b.learn = learn;
        b.driftDetector = driftDetector.spec();
        b.driftPolicy = driftPolicy;
        b.featureScaling = featureScaling;
        b.linearLags = linearLags;
        b.linearLagsSet = true;
        return b;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builder with StreamGRU's defaults (chosen by measurement, see docs/benchmarks-defaults.md). */
    public static final class Builder {
        private int features = 0;
        private int horizon = 1;
        private Boolean autoregressiveSet = null;
        private boolean autoregressive = true;
        private Boolean residualSet = null;
        private boolean residual = true;
        private int hidden = Defaults.HIDDEN;
        private int layers = Defaults.LAYERS;
        private HeadType head = HeadType.LINEAR;
        private int headHidden = 32;
        private int chunk = Defaults.CHUNK;
        private int window = Defaults.WINDOW;
        private String optimizer = Defaults.OPTIMIZER;
        private double learningRate = Defaults.LEARNING_RATE;
        private String schedule = Defaults.SCHEDULE;
        private double clip = Defaults.CLIP;
        private double weightDecay = 0.0;
        private String loss = "mse";
        private double huberDelta = 1.0;
        private boolean lossAtLastStep = false;
        private boolean normalize = true;
        private String init = "pytorch";
        private long seed = 42;
        private boolean learn = true;
        private String driftDetector = Defaults.DRIFT_DETECTOR;
        private String driftPolicy = Defaults.DRIFT_POLICY;
        private FeatureScaling featureScaling = FeatureScaling.SHARED;
        private boolean linearLagsSet = false;
        private int linearLags = 0;
        private boolean previousDefaults = false;

        private Builder() {
        }

        public Builder features(int v) { features = v; return this; }
        public Builder horizon(int v) { horizon = v; return this; }
        /** Explicit choice; when never called, the input is on (see {@link #previousDefaults()}). */
        public Builder autoregressive(boolean v) { autoregressiveSet = v; autoregressive = v; return this; }
        /** Explicit choice; when never called, residual forecasts are on whenever the autoregressive input is. */
        public Builder residual(boolean v) { residualSet = v; residual = v; return this; }
        public Builder hidden(int v) { hidden = v; return this; }
        public Builder layers(int v) { layers = v; return this; }
        public Builder head(HeadType v) { head = v; return this; }
        public Builder headHidden(int v) { headHidden = v; return this; }
        public Builder chunk(int v) { chunk = v; return this; }
        public Builder window(int v) { window = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder schedule(String v) { schedule = v; return this; }
        public Builder clip(double v) { clip = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder loss(String v) { loss = v; return this; }
        public Builder huberDelta(double v) { huberDelta = v; return this; }
        public Builder lossAtLastStep(boolean v) { lossAtLastStep = v; return this; }
        public Builder normalize(boolean v) { normalize = v; return this; }
        public Builder init(String v) { init = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder learn(boolean v) { learn = v; return this; }
        public Builder driftDetector(String v) { driftDetector = v; return this; }
        public Builder driftPolicy(String v) { driftPolicy = v; return this; }
        public Builder featureScaling(FeatureScaling v) { featureScaling = v; return this; }
        /** Target changes the linear path reads (0 = no linear path, the default; {@link Defaults#LINEAR_LAGS} suggested). */
        public Builder linearLags(int v) { linearLags = v; linearLagsSet = true; return this; }

        /**
         * Resolves the settings left unset as the releases before the linear path did: the
         * autoregressive input only for forecasting (horizon ≥ 1) or without features.
         * A deployment whose model was trained under those defaults keeps its meaning (and
         * configuration hash) with them; explicit choices are kept either way.
         */
        public Builder previousDefaults() { previousDefaults = true; return this; }

        public LearnerConfig build() {
            // What is known is used: the last known target is an input at every horizon unless turned off.
            boolean ar = autoregressiveSet != null ? autoregressive
                    : !previousDefaults || horizon >= 1 || features == 0;
            boolean res = residualSet != null ? residual : ar;
            int lags = linearLagsSet ? linearLags : 0; // off unless chosen: see Defaults.LINEAR_LAGS
            return new LearnerConfig(features, horizon, ar, res, hidden, layers, head, headHidden, chunk, window,
                    optimizer, learningRate, schedule, clip, weightDecay, loss, huberDelta, lossAtLastStep,
                    normalize, init, seed, learn, DriftDetectorSpec.parse(driftDetector), driftPolicy, featureScaling,
                    lags);
        }
    }

    /** The defaults, in one place so the CLI's help and the docs quote the same numbers. */
    public static final class Defaults {
        public static final int HIDDEN = 32;
        public static final int LAYERS = 1;
        public static final int CHUNK = 16;
        public static final int WINDOW = 16;
        public static final String OPTIMIZER = "adam";
        /** The base rate the {@link #SCHEDULE} starts from. */
        public static final double LEARNING_RATE = 1e-2;
        /**
         * {@code inverse:1:500:3e-4}: the rate halves after 500 optimizer steps, keeps falling like
         * 1/step (a fresh model learns fast, then settles) and never goes below 3e-4, which it reaches
         * after about 16,000 steps, so a stream that runs for ever keeps adapting to drift.
         */
        public static final String SCHEDULE = "inverse:1:500:3e-4";
        public static final double CLIP = 1.0;
        /**
         * Page-Hinkley on each series' scaled absolute error: 80 bytes of state per key, no effect on
         * learning, 0.65–0.75 false alarms per 10,000 stationary errors (docs/drift.md).
         */
        public static final String DRIFT_DETECTOR = "page-hinkley";
        /** No action on drift: every policy measured made errors worse when set off by a detector (docs/drift.md). */
        public static final String DRIFT_POLICY = "none";
        /**
         * Target changes the linear path reads when it is turned on. The path is off by default: at the
         * default learning rate it did not help across the seed tasks (docs/QUALITY.md).
         */
        public static final int LINEAR_LAGS = 8;

        private Defaults() {
        }
    }
}
