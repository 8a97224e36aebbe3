package io.streamgru.model.online;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.drift.DriftDetectorSpec;
import io.streamgru.model.drift.DriftPolicy;
import io.streamgru.model.gru.HeadType;
import io.streamgru.model.online.LearnerSetting.Hash;
import io.streamgru.model.online.LearnerSetting.Type;
import io.streamgru.model.optim.ScheduleSpec;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

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
 * @param intervalLevel   the coverage each forecast's prediction interval aims at, in (0, 1)
 * @param chunkInfluence  one chunk's gradient is capped at this many typical chunks' (0: no cap)
 *                        ({@link io.streamgru.model.interval.ConformalInterval}); not part of the model
 * @param linearLags      the linear path beside the GRU (LSTNet's highway): a linear function of the
 *                        step's model inputs and of the series' last {@code linearLags} normalised
 *                        target changes (the newest is the autoregressive input), added to the head's
 *                        output; 0 = no linear path. Needs the autoregressive input.
 * @param linearGruSchedule with a linear path: the learning rate of every other parameter (the GRU and its
 *                        head) as a multiple of the path's, a schedule spec on a base of 1 over optimizer
 *                        steps ({@link io.streamgru.model.optim.ParameterGroupRate})
 * @param combine         publish, per key, the combination of the model's forecast with persistence (and the
 *                        linear path alone, and seasonal naive with a season) by fixed-share aggregation of experts
 *                        ({@link io.streamgru.model.experts.FixedShareAggregation}); the model still learns
 *                        from its own forecasts only. Off: the model's own forecast is published.
 * @param season          the key's season in records (e.g. 24 for hourly readings with a daily cycle); with
 *                        the combination, seasonal naive ({@link SeasonalNaive}'s rule) is one more expert;
 *                        0 = none. {@code evaluate}'s report adds the seasonal naive baseline for it.
 * @param keyTtl          a key without a reading for this long (in the stream's time) is dropped with all
 *                        its state, and starts cold if it returns; {@link Duration#ZERO} = never. Not part
 *                        of the model: only the streaming learner ({@code run}, {@code demo}) expires keys.
 */
public record LearnerConfig(int features, int horizon, boolean autoregressive, boolean residual, int hidden, int layers,
                            HeadType head, int headHidden, int chunk, int window, String optimizer,
                            double learningRate, String schedule, double clip, double weightDecay, String loss,
                            double huberDelta, boolean lossAtLastStep, boolean normalize, String init, long seed,
                            boolean learn, DriftDetectorSpec driftDetector, String driftPolicy,
                            FeatureScaling featureScaling, double intervalLevel, double chunkInfluence,
                            int linearLags, String linearGruSchedule, boolean combine, int season, Duration keyTtl) {

    public LearnerConfig {
        require(features >= 0, "features must be >= 0, got " + features);
        require(features > 0 || autoregressive,
                "a univariate model (no features) needs the autoregressive input: it has nothing else to read");
        require(!residual || autoregressive, "a residual forecast needs the autoregressive input it adds its change to");
        require(!"cross-entropy".equals(loss), "cross-entropy is for sequence classification, not forecasting");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(driftDetector, "driftDetector");
        Objects.requireNonNull(featureScaling, "featureScaling");
        Objects.requireNonNull(keyTtl, "keyTtl");
        Objects.requireNonNull(linearGruSchedule, "linearGruSchedule");
        require(linearLags == 0 || autoregressive,
                "the linear path reads the target's history: it needs the autoregressive input");
        // Each setting's own bounds are checked by the builder, from SETTINGS (a compact constructor
        // cannot read the record's components yet).
    }

    /** The most target changes the linear path may read (each costs 16 bytes of every key's state). */
    public static final int MAX_LINEAR_LAGS = 64;

    /**
     * The longest season a key may keep, in records: a week of readings a minute apart. Each record of
     * it costs 8 bytes of every key's state, written on every record (80 KB per key at this bound).
     */
    public static final int MAX_SEASON = 7 * 24 * 60;

    /**
     * Every learner setting, declared once: name, type and bounds, default, help, and whether it
     * enters the config hash. Settings files and environment variables ({@code learner.KEY}), the
     * command-line flags ({@code --KEY}), validation (here and when parsing), the config hash and the
     * README's settings table are derived from this list; adding a setting is one entry here plus
     * its use (docs/CONTRIBUTING.md). The {@link LearnerSetting.Hash#ALWAYS} entries come first and
     * keep their order: the hash of every existing deployment depends on it.
     */
    public static final List<LearnerSetting<?>> SETTINGS = List.of(
            LearnerSetting.of("horizon", Type.integer(0, Integer.MAX_VALUE), Builder::horizon, LearnerConfig::horizon)
                    .defaultValue(1).label("H").hash(Hash.ALWAYS)
                    .help("0 = estimate each record's target from inputs up to that record; H >= 1 = forecast the target "
                            + "H records ahead (of the same key)."),
            LearnerSetting.of("autoregressive", Type.onOff(), Builder::autoregressive, LearnerConfig::autoregressive)
                    .derivedDefault("on (a deployment trained under the previous default, off at horizon 0 with "
                            + "features, keeps it)").hash(Hash.ALWAYS)
                    .help("Feed the latest known target and its last change as inputs (at horizon 0: the previous "
                            + "record's)."),
            LearnerSetting.of("residual", Type.onOff(), Builder::residual, LearnerConfig::residual)
                    .derivedDefault("on with the autoregressive input").hash(Hash.ALWAYS)
                    .help("Forecast the change from the latest known target rather than the level."),
            LearnerSetting.of("hidden", Type.integer(1, Integer.MAX_VALUE), Builder::hidden, LearnerConfig::hidden)
                    .defaultValue(Defaults.HIDDEN).hash(Hash.ALWAYS).help("GRU units per layer."),
            LearnerSetting.of("layers", Type.integer(1, Integer.MAX_VALUE), Builder::layers, LearnerConfig::layers)
                    .defaultValue(Defaults.LAYERS).hash(Hash.ALWAYS).help("Stacked GRU layers."),
            LearnerSetting.of("head", Type.mapped("linear|mlp", "`linear`, `mlp`", HeadType::named,
                            h -> h.name().toLowerCase(Locale.ROOT)), Builder::head, LearnerConfig::head)
                    .defaultValue(HeadType.LINEAR).hash(Hash.ALWAYS).help("Output head."),
            LearnerSetting.of("head.hidden", Type.integer(1, Integer.MAX_VALUE), Builder::headHidden,
                            LearnerConfig::headHidden)
                    .defaultValue(32).hash(Hash.ALWAYS).help("Hidden units of the MLP head."),
            LearnerSetting.of("normalize", Type.onOff(), Builder::normalize, LearnerConfig::normalize)
                    .defaultValue(true).hash(Hash.ALWAYS).help("Online z-score (Welford) of features and target."),
            LearnerSetting.of("chunk", Type.integer(1, Integer.MAX_VALUE), Builder::chunk, LearnerConfig::chunk)
                    .defaultValue(Defaults.CHUNK).label("K").help("Truncated-BPTT chunk length in steps."),
            LearnerSetting.of("window", Type.integer(1, Integer.MAX_VALUE), Builder::window, LearnerConfig::window)
                    .defaultValue(Defaults.WINDOW).label("W").help("Samples accumulated before each optimizer step."),
            LearnerSetting.of("optimizer", Type.oneOf("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop"),
                            Builder::optimizer, LearnerConfig::optimizer)
                    .defaultValue(Defaults.OPTIMIZER).label("NAME").help("The optimizer (PyTorch's defaults otherwise)."),
            LearnerSetting.of("lr", Type.decimal(0, true), Builder::learningRate, LearnerConfig::learningRate)
                    .defaultValue(Defaults.LEARNING_RATE).label("RATE")
                    .help("Learning rate: the base rate the schedule starts from."),
            LearnerSetting.of("schedule", Type.spec("SPEC", "`constant`, `step:SIZE:GAMMA`, `exp:GAMMA`, "
                            + "`inverse:RATE:STEPS[:MIN]`, `cosine:TOTAL[:MIN]`, optionally prefixed by `warmup:N,`",
                            spec -> ScheduleSpec.parse(spec, 1.0)), Builder::schedule, LearnerConfig::schedule)
                    .defaultValue(Defaults.SCHEDULE)
                    .help("Learning-rate schedule (the default halves the rate after 500 steps, never below 3e-4; "
                            + "docs/benchmarks-defaults.md)."),
            LearnerSetting.of("clip", Type.decimal(Double.NEGATIVE_INFINITY, false), Builder::clip, LearnerConfig::clip)
                    .defaultValue(Defaults.CLIP).label("NORM").help("Clip the gradient's global L2 norm to this (0 = off)."),
            LearnerSetting.of("weight.decay", Type.decimal(0, false), Builder::weightDecay, LearnerConfig::weightDecay)
                    .defaultValue(0.0).label("W").help("Weight decay (L2; decoupled for adamw)."),
            LearnerSetting.of("loss", Type.oneOf("mse", "l1", "huber"), Builder::loss, LearnerConfig::loss)
                    .defaultValue("mse").label("NAME").help("Training loss."),
            LearnerSetting.of("huber.delta", Type.decimal(0, true), Builder::huberDelta, LearnerConfig::huberDelta)
                    .defaultValue(1.0).label("D").help("Huber threshold, in normalised units."),
            LearnerSetting.of("loss.at", Type.mapped("all|last", "`all`, `last`",
                            where -> Type.oneOf("all", "last").check(where.toLowerCase(Locale.ROOT)).equals("last"), last -> last ? "last" : "all"), Builder::lossAtLastStep, LearnerConfig::lossAtLastStep)
                    .defaultValue(false).label("WHERE").help("Loss at every step of a chunk (all) or only its last (last)."),
            LearnerSetting.of("init", Type.oneOf("pytorch", "xavier", "orthogonal"), Builder::init, LearnerConfig::init)
                    .defaultValue("pytorch").label("SCHEME").help("Parameter initialisation."),
            LearnerSetting.of("seed", Type.longInteger(), Builder::seed, LearnerConfig::seed)
                    .defaultValue(42L).help("Seed of all randomness: the same seed and data give identical results."),
            LearnerSetting.of("learn", Type.onOff(), Builder::learn, LearnerConfig::learn)
                    .defaultValue(true).help("Off = inference only: forecast, never update the model or its statistics."),
            LearnerSetting.of("drift.detector", Type.spec("SPEC", "`none`, `page-hinkley[:KEY=VALUE]...`, "
                            + "`adwin[:KEY=VALUE]...` (docs/drift.md)", DriftDetectorSpec::parse),
                            Builder::driftDetector, c -> c.driftDetector().spec())
                    .defaultValue(Defaults.DRIFT_DETECTOR)
                    .help("Drift detector on each series' forecast error, in the loss's units. Keys of page-hinkley: "
                            + "min-instances, delta, threshold, alpha, direction; of adwin: delta, clock, max-buckets, "
                            + "min-window-length, grace-period, direction. Slow streams need a lower threshold, e.g. "
                            + "page-hinkley:delta=0.05:threshold=6 for hourly sensors."),
            LearnerSetting.of("drift.policy", Type.spec("SPEC", "`none`, `boost:FACTOR:STEPS`, `reset-moments`",
                            DriftPolicy::parse), Builder::driftPolicy, LearnerConfig::driftPolicy)
                    .defaultValue(Defaults.DRIFT_POLICY)
                    .help("What the optimizer does when learners report drifts: boost multiplies the learning rate by "
                            + "FACTOR for STEPS optimizer steps, reset-moments zeroes the optimizer's moments once. "
                            + "Measured to make errors worse when set off by a detector (docs/drift.md)."),
            LearnerSetting.of("feature.scaling", Type.mapped("shared|per-key", "`shared`, `per-key`",
                            FeatureScaling::named, FeatureScaling::spec), Builder::featureScaling,
                            LearnerConfig::featureScaling)
                    .defaultValue(FeatureScaling.SHARED).hash(Hash.WHEN_NOT_DEFAULT)
                    .help("Whose statistics z-score the features: shared by all keys, or each key's own (keys "
                            + "measuring features in different units; 24 bytes per feature per key)."),
            LearnerSetting.of("interval.level", Type.fraction(), Builder::intervalLevel, LearnerConfig::intervalLevel)
                    .defaultValue(Defaults.INTERVAL_LEVEL).label("P")
                    .help("Coverage each forecast's prediction interval (lower, upper) aims at, calibrated per key "
                            + "online on its own errors (docs/QUALITY.md#intervals); 4 + 8 (3 + horizon) bytes per key."),
            LearnerSetting.of("chunk.influence", Type.decimal(0, false), Builder::chunkInfluence,
                            LearnerConfig::chunkInfluence)
                    .defaultValue(4.0).label("X")
                    .help("Caps one chunk's gradient at X times the typical chunk's (per sample), so a key of wild "
                            + "errors moves the shared model no more than a few typical keys would; 0 = no cap."),
            LearnerSetting.of("linear.lags", Type.integer(0, MAX_LINEAR_LAGS), Builder::linearLags,
                            LearnerConfig::linearLags)
                    .derivedDefault(Defaults.LINEAR_LAGS + " with the autoregressive input, else 0 (a deployment "
                            + "whose model has no linear path keeps 0)").label("P").inHashUnless(0)
                    .help("Linear path beside the GRU (LSTNet's highway): a linear function of the step's inputs and "
                            + "the key's last P normalised target changes, added to the head's output; 0 = off. Needs "
                            + "the autoregressive input; 16 (P - 1) bytes per key (docs/QUALITY.md)."),
            LearnerSetting.of("linear.gru.schedule", Type.spec("SPEC", "as `schedule`, on a base of 1",
                            spec -> ScheduleSpec.parse(spec, 1.0)), Builder::linearGruSchedule,
                            LearnerConfig::linearGruSchedule)
                    .defaultValue(Defaults.LINEAR_GRU_SCHEDULE)
                    .help("With the linear path: the learning rate of the GRU and its head as a multiple of the "
                            + "path's (which follows `schedule`), by optimizer step. The default lets the GRU learn "
                            + "as fast as the path at first, then 10 times slower, so the path settles on the linear "
                            + "part of the dynamics (docs/QUALITY.md, the linear path)."),
            LearnerSetting.of("combine", Type.onOff(), Builder::combine, LearnerConfig::combine)
                    .derivedDefault("on (a deployment whose model predates the combination keeps it off)")
                    .help("Publish per key the combination of the model's forecast with persistence (and the linear "
                            + "path alone, and seasonal naive with a season) by fixed-share aggregation of experts, so a key is never much worse than "
                            + "persistence; the model learns from its own forecast only (docs/QUALITY.md); "
                            + "4 N bytes per key and step of the horizon for N experts (8 at horizon 1)."),
            LearnerSetting.of("season", Type.integer(0, MAX_SEASON), Builder::season, LearnerConfig::season)
                    .defaultValue(0).label("S")
                    .help("The key's season in records (e.g. 24 for hourly readings with a daily cycle); 0 = none. "
                            + "With the combination, seasonal naive (the target S records earlier) is one more expert, "
                            + "costing 4 + 8 S + 12 max(1, H) bytes per key at horizon H (docs/QUALITY.md); evaluate's report "
                            + "adds it as a baseline."),
            LearnerSetting.of("key.ttl", Type.mapped("DURATION", "`off`, or a duration: `30d`, `12h`, `90m`, `45s`, "
                            + "`500ms`, ISO-8601 `P30D`", IdleTime::parse, IdleTime::format), Builder::keyTtl,
                            LearnerConfig::keyTtl)
                    .defaultValue(Duration.ZERO)
                    .help("A key without a reading for this long, in the input's record time, is dropped with its "
                            + "state (hidden states, statistics, interval, experts, drift detector) and starts cold if it "
                            + "returns; off = keys are kept for ever. Streaming only (run, demo); for fleets that "
                            + "churn keys (docs/SCALING.md#idle-keys)."));

    /** The declaration of {@code learner.KEY}, if there is one. */
    public static Optional<LearnerSetting<?>> setting(String key) {
        return SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst();
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

    /**
     * Whose defaults the settings left unset resolve to: this release's, or those of earlier releases
     * that running deployments may have been made with ({@code DeployedDefaults} in stream-app picks
     * the one whose configuration hash the deployed model carries).
     */
    public enum DefaultsOf {
        /** This release's: the linear path on wherever the autoregressive input is. */
        THIS_RELEASE,
        /** Releases before the linear path was on by default: no linear path. */
        BEFORE_LINEAR_PATH,
        /**
         * Releases before that: also the autoregressive input only for forecasting (horizon ≥ 1) or
         * without features, and no combination of experts (they published the model's own forecast).
         */
        BEFORE_AUTOREGRESSIVE_AT_HORIZON_0
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
        b.intervalLevel = intervalLevel;
        b.chunkInfluence = chunkInfluence;
        b.linearLags = linearLags;
        b.linearGruSchedule = linearGruSchedule;
        b.combine = combine;
        b.combineSet = combine;
        b.season = season;
        b.keyTtl = keyTtl;
        return b;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builder with StreamGRU's defaults (declared in {@link #SETTINGS}; chosen by measurement, see docs/benchmarks-defaults.md). */
    public static final class Builder {
        private int features = 0;
        private int horizon;
        private Boolean autoregressiveSet = null;
        private boolean autoregressive = true;
        private Boolean residualSet = null;
        private boolean residual = true;
        private int hidden;
        private int layers;
        private HeadType head;
        private int headHidden;
        private int chunk;
        private int window;
        private String optimizer;
        private double learningRate;
        private String schedule;
        private double clip;
        private double weightDecay;
        private String loss;
        private double huberDelta;
        private boolean lossAtLastStep;
        private boolean normalize;
        private String init;
        private long seed;
        private boolean learn;
        private String driftDetector;
        private String driftPolicy;
        private FeatureScaling featureScaling;
        private double intervalLevel;
        private double chunkInfluence;
        private Integer linearLags;
        private String linearGruSchedule;
        private Boolean combineSet = null;
        private boolean combine = true;
        private int season;
        private Duration keyTtl;
        private DefaultsOf defaultsOf = DefaultsOf.THIS_RELEASE;

        /** Starts from every setting's declared default ({@link #SETTINGS}). */
        private Builder() {
            for (LearnerSetting<?> setting : SETTINGS) {
                setting.applyDefault(this);
            }
        }

        public Builder features(int v) { features = v; return this; }
        public Builder horizon(int v) { horizon = v; return this; }
        /** Explicit choice; when never called, the input is on (see {@link #defaultsOf}). */
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
        public Builder intervalLevel(double v) { intervalLevel = v; return this; }
        public Builder chunkInfluence(double v) { chunkInfluence = v; return this; }
        /** Explicit choice of the target changes the linear path reads (0 = none); when never called, {@link Defaults#LINEAR_LAGS} with the autoregressive input (see {@link #defaultsOf}). */
        public Builder linearLags(int v) { linearLags = v; return this; }
        public Builder linearGruSchedule(String v) { linearGruSchedule = v; return this; }
        /** Explicit choice; when never called, the combination is on (see {@link #defaultsOf}). */
        public Builder combine(boolean v) { combineSet = v; combine = v; return this; }
        /** The key's season in records; 0 = none. */
        public Builder season(int v) { season = v; return this; }
        /** How long a key may go without a reading before the streaming learner drops it ({@link Duration#ZERO}: never). */
        public Builder keyTtl(Duration v) { keyTtl = v; return this; }

        /**
         * Resolves the settings left unset as {@code release} did, so a deployment whose model was
         * trained under those defaults keeps its meaning (and configuration hash); explicit choices
         * are kept either way.
         */
        public Builder defaultsOf(DefaultsOf release) { defaultsOf = Objects.requireNonNull(release); return this; }

        public LearnerConfig build() {
            // What is known is used: the last known target is an input at every horizon unless turned off.
            boolean before = defaultsOf == DefaultsOf.BEFORE_AUTOREGRESSIVE_AT_HORIZON_0;
            boolean ar = autoregressiveSet != null ? autoregressive : !before || horizon >= 1 || features == 0;
            boolean res = residualSet != null ? residual : ar;
            int lags = linearLags != null ? linearLags
                    : ar && defaultsOf == DefaultsOf.THIS_RELEASE ? Defaults.LINEAR_LAGS : 0;
            LearnerConfig config = new LearnerConfig(features, horizon, ar, res, hidden, layers, head, headHidden, chunk, window,
                    optimizer, learningRate, schedule, clip, weightDecay, loss, huberDelta, lossAtLastStep,
                    normalize, init, seed, learn, DriftDetectorSpec.parse(driftDetector), driftPolicy, featureScaling,
                    intervalLevel, chunkInfluence, lags, linearGruSchedule, combineSet != null ? combine : !before,
                    season, keyTtl);
            for (LearnerSetting<?> setting : SETTINGS) {
                setting.checkIn(config);
            }
            return config;
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
        /** 90 % prediction intervals: 4 + 8 · (3 + horizon) bytes of state per key. */
        public static final double INTERVAL_LEVEL = 0.9;
        /**
         * Target changes the linear path reads, by default wherever the autoregressive input is (with
         * the GRU's rate scheduled against the path's; docs/QUALITY.md).
         */
        public static final int LINEAR_LAGS = 8;
        /** The GRU's rate as a multiple of the linear path's: 1, halved after 50 steps, never below 0.1. */
        public static final String LINEAR_GRU_SCHEDULE = "inverse:1:50:0.1";

        private Defaults() {
        }
    }
}
