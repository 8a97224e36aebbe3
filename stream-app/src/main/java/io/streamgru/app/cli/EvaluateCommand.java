package io.streamgru.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamgru.app.config.ConfigSources;
import io.streamgru.app.config.RegistrySettings;
import io.streamgru.app.config.Settings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.evaluate.CsvReport;
import io.streamgru.app.evaluate.CsvSource;
import io.streamgru.app.evaluate.EvaluationRun;
import io.streamgru.app.evaluate.EvaluationSummary;
import io.streamgru.app.evaluate.LoadedDataset;
import io.streamgru.app.evaluate.PredictionsWriter;
import io.streamgru.app.evaluate.ReportOptions;
import io.streamgru.app.evaluate.ReportWriter;
import io.streamgru.app.evaluate.TopicDataset;
import io.streamgru.app.input.InputDecoders;
import io.streamgru.app.input.InputException;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.PrequentialEvaluation;
import io.streamgru.model.online.SafetensorsModel;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamgru evaluate}: a prequential (predict, then learn) single pass over a CSV file or a
 * range of Kafka topics (read in event-time order, like {@code replay}).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Scores the online learner on a CSV file or topic range: forecast, then learn, row by row.",
            "Runs the online learner over a CSV file (--input) or Kafka topics (--config",
            "and/or --topic, optionally --from/--to/--offsets) once, as it would run on a",
            "stream: each row is forecast first, then learned from (progressive",
            "validation). Reports MAE/RMSE next to the persistence baseline (the last",
            "known target). With --report DIR, also writes a report (JSON, Markdown, HTML,",
            "PNG plots) against more baselines. A CSV file is streamed (memory does not",
            "grow with its rows); topic records are read in event-time order (ties: topic,",
            "partition, offset) and held in memory."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--input", paramLabel = "FILE.csv", description = "CSV file with a header row.")
    Path input;

    @Option(names = "--config", paramLabel = "FILE", description = "Read Kafka topics instead: the settings file "
            + "`streamgru run` uses (input.topics, format, features, target, key, time, schema.registry.*, kafka.*, "
            + "learner.*).")
    Path configFile;

    @Option(names = "--topic", split = ",", paramLabel = "TOPIC", description = "Input topics (overrides input.topics; implies topic input).")
    List<String> topics;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "Topic input: a setting, overriding file and environment (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    @Mixin
    HistoryOptions history;

    @Option(names = "--target", paramLabel = "COL", description = "Column (topic input: field path) to forecast.")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "COL", description = "Feature columns or fields (default: none, univariate).")
    List<String> features;

    @Option(names = "--key", paramLabel = "COL", description = "Series id column or field: one hidden state per key, one shared model.")
    String key;

    @Mixin
    LearnerOptions learner;

    @Option(names = "--model", paramLabel = "FILE.safetensors", description = "Start from this model (StreamGRU or PyTorch nn.GRU + Linear).")
    Path model;

    @Option(names = "--save-model", paramLabel = "FILE.safetensors", description = "Write the final model here.")
    Path saveModel;

    @Option(names = "--predictions", paramLabel = "OUT.csv", description = "Write a CSV with one line per row: row, key, prediction, target, lower, upper, model_forecast.")
    Path predictions;

    @Option(names = "--json", description = "Print one JSON object instead of the readable summary.")
    boolean json;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Option(names = "--report", paramLabel = "DIR", description = {
        "Write a prequential report into DIR (created if missing): report.json, report.md,",
        "report.html and PNG plots; MAE, RMSE, MAPE, sMAPE per key, overall and over time,",
        "for the model and the baselines (persistence, seasonal naive with --season,",
        "--moving-average)."})
    Path report;

    @Option(names = "--moving-average", paramLabel = "N", description =
        "Report: the moving-average baseline's window, in known targets of the key; 0 = off (default: 10).")
    Integer movingAverage;

    @Option(names = "--report-window", paramLabel = "N", description =
        "Report: rows per time window (default: a tenth of the rows, rounded up).")
    Integer reportWindow;

    @Option(names = "--plot-keys", split = ",", paramLabel = "KEY", description =
        "Report: keys to plot forecast vs actual for (default: the first 3 keys).")
    List<String> plotKeys;

    @Option(names = "--plot-points", paramLabel = "N", description =
        "Report: the last N records of each plotted key (default: 500).")
    Integer plotPoints;

    @Option(names = "--mape-epsilon", paramLabel = "EPS", description =
        "Report: MAPE leaves out rows with |actual| < EPS and counts them (default: 1e-9).")
    Double mapeEpsilon;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ReportOptions reportOptions = reportOptions();
        boolean fromTopics = configFile != null || topics != null;
        PrintWriter err = spec.commandLine().getErr();
        Input in = fromTopics ? readTopics(err) : openCsv(reportOptions);
        if (in.nothingToScore() != null) {
            return nothingScored(err, in.nothingToScore());
        }
        if (reportOptions != null) {
            prepareReport(reportOptions, in.loaded());
        }
        OnlineForecaster forecaster = startingForecaster(in.options(), in.featureColumns());
        LearnerConfig config = forecaster.config();
        PrequentialEvaluation.Progress progress = quiet ? PrequentialEvaluation.Progress.NONE
                : new ProgressLine(err, "evaluate");
        EvaluationRun.ReportSetup reportSetup = reportOptions == null ? null : new EvaluationRun.ReportSetup(
                reportOptions, CsvReport.baselines(config,
                        movingAverage == null ? CsvReport.DEFAULT_MOVING_AVERAGE : movingAverage));
        EvaluationRun.Outcome outcome;
        EvaluationRun run;
        try (PredictionsWriter predictionsOut = predictions == null ? null : PredictionsWriter.open(predictions)) {
            run = new EvaluationRun(forecaster, in.rows(), predictionsOut, reportSetup, progress);
            in.feed(run);
            outcome = run.finish();
        }
        if (outcome.rejectedTotal() > 0 && !quiet) {
            err.println("evaluate: rows rejected, never learned from: " + outcome.describeRejections());
            err.flush();
        }
        if (outcome.model().count() == 0) {
            return nothingScored(err, whyNothingScored(outcome, config.horizon()));
        }
        if (saveModel != null) {
            try (OutputStream out = Files.newOutputStream(saveModel)) {
                SafetensorsModel.write(forecaster, out);
            }
        }
        EvaluationSummary summary = EvaluationSummary.of(in.source(), outcome, forecaster, in.undecodable());
        if (reportOptions != null) {
            writeReport(run, summary, in, reportOptions, err);
        }
        printSummary(summary);
        return 0;
    }

    /**
     * What is evaluated: topic records held in memory ({@code loaded}) or a CSV file read as it goes
     * ({@code csv}), one of the two, with the learner settings and a name for the summary.
     *
     * @param undecodable    topic input: invalid records skipped, by reason
     * @param nothingToScore why there is nothing to evaluate, or null
     */
    private record Input(LoadedDataset loaded, CsvSource csv, Map<String, Long> undecodable, LearnerConfig options,
                         String source, String nothingToScore) {

        List<String> featureColumns() {
            return loaded != null ? loaded.featureColumns() : csv.featureColumns();
        }

        String keyColumn() {
            return loaded != null ? loaded.keyColumn() : csv.keyColumn();
        }

        String targetColumn() {
            return loaded != null ? loaded.targetColumn() : csv.targetColumn();
        }

        long rows() {
            return loaded != null ? loaded.data().rows() : csv.rows();
        }

        void feed(EvaluationRun run) {
            if (loaded != null) {
                loaded.feed(run);
            } else {
                csv.feed(run);
            }
        }
    }

    /** Topic input: reads the records of the range into memory, counting and reporting the invalid ones. */
    private Input readTopics(PrintWriter err) {
        if (input != null) {
            throw new InputException("--input reads a CSV file; --config/--topic read Kafka topics: choose one");
        }
        StreamGruConfig config = topicConfig();
        SchemaRegistryClient registry = config.input().format() == StreamGruConfig.Format.AVRO
                ? SerdeConfig.from(RegistrySettings.serdeConfig(config.registry())).createClient() : null;
        LoadedDataset loaded;
        Map<String, Long> undecodable = new LinkedHashMap<>();
        String nothingToScore = null;
        try {
            // Held in memory: records are read in event-time order across partitions, and the
            // row count the report's windows need is that of the valid records.
            TopicDataset.Read read = TopicDataset.read(config, history.range(),
                    InputDecoders.of(config, registry).get(), quiet ? null : err);
            loaded = read.dataset();
            for (var e : read.invalid().counts().entrySet()) {
                undecodable.put(e.getKey().name(), e.getValue());
            }
            if (read.invalid().total() > 0 && !quiet) {
                err.println("evaluate: " + read.invalid().describe() + " invalid records skipped");
                err.flush();
            }
            if (loaded.data().rows() == 0) {
                String rejected = read.invalid().describe();
                nothingToScore = read.invalid().total() == 0 ? "the topics hold no records in the range read"
                        : "all " + read.invalid().total() + " records were rejected "
                        + rejected.substring(rejected.indexOf('('));
            }
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
        return new Input(loaded, null, undecodable, config.learner(),
                "topic " + String.join(",", config.input().topics()), nothingToScore);
    }

    /** CSV input: checks the flags that apply to it and opens the file. */
    private Input openCsv(ReportOptions reportOptions) {
        if (input == null || target == null) {
            throw new InputException("give --input FILE.csv and --target COL, or --config/--topic to read Kafka topics");
        }
        if (history.given() || !set.isEmpty()) {
            throw new InputException("--from, --to, --offsets and --set apply to topic input (--config/--topic)");
        }
        if (plotKeys != null && key == null) {
            throw new InputException("--plot-keys needs --key (without it the file is one series)");
        }
        List<String> featureColumns = features == null ? List.of() : features;
        CsvSource csv = CsvSource.open(input, target, featureColumns, key, reportOptions);
        return new Input(null, csv, Map.of(), learner.toConfig(featureColumns.size()), input.toString(), null);
    }

    /** Fails before the long run on what would fail the report after it: a misspelt key, a directory that cannot be made. */
    private void prepareReport(ReportOptions reportOptions, LoadedDataset loaded) {
        if (loaded != null) {
            reportOptions.plotKeyIds(loaded.keyNames());
        }
        try {
            Files.createDirectories(report);
        } catch (IOException e) {
            throw new InputException("cannot create the report directory " + report + ": "
                    + (e instanceof FileAlreadyExistsException ? "a file of that name exists" : e.getMessage()), e);
        }
    }

    /** A new model, or the one --model names, which must read as many features as the input has. */
    private OnlineForecaster startingForecaster(LearnerConfig options, List<String> featureNames) {
        OnlineForecaster forecaster = model == null ? new OnlineForecaster(options) : readModel(options);
        LearnerConfig config = forecaster.config();
        if (config.features() != featureNames.size()) {
            throw new InputException("the model in " + model + " reads " + config.features()
                    + " features, but the input has " + featureNames.size());
        }
        return forecaster;
    }

    private void writeReport(EvaluationRun run, EvaluationSummary summary, Input in, ReportOptions reportOptions,
                             PrintWriter err) throws IOException {
        ReportWriter.Written written = CsvReport.write(report, run, summary, in.targetColumn(), in.keyColumn(),
                reportOptions);
        if (!quiet) {
            err.println("evaluate: report in " + written.directory() + ": " + ReportWriter.HTML + ", "
                    + ReportWriter.MARKDOWN + ", " + ReportWriter.JSON + " and "
                    + (written.files().size() - 3) + " PNG plots");
            err.flush();
        }
    }

    /** The summary on stdout: one JSON object with --json, else readable text. */
    private void printSummary(EvaluationSummary summary) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(summary.toJson()));
        } else {
            out.print(summary.toText());
        }
        out.flush();
    }

    /** No row was scored, so there are no metrics: one line saying why, and exit status 1. */
    private static int nothingScored(PrintWriter err, String why) {
        err.println("error: nothing to evaluate: " + why);
        err.flush();
        return 1;
    }

    private static String whyNothingScored(EvaluationRun.Outcome o, int horizon) {
        if (o.records() == 0) {
            return "all " + o.rows() + " rows were rejected " + o.describeRejections().substring(
                    o.describeRejections().indexOf('('));
        }
        if (o.missingTargets() == o.records()) {
            return "every target is missing (" + o.records() + " rows): there is nothing to compare forecasts with";
        }
        return "no forecast met a known target: of " + o.records() + " rows, " + o.missingTargets()
                + " have no target and the others came before their key had a forecast (a key's first "
                + Math.max(1, horizon) + " rows)";
    }

    /** Topic input: the settings file, environment and --set, with --topic/--target/--features/--key on top. */
    private StreamGruConfig topicConfig() {
        Map<String, String> flags = new LinkedHashMap<>(set);
        if (topics != null) {
            flags.put("input.topics", String.join(",", topics));
        }
        if (target != null) {
            flags.put("input.target", target);
        }
        if (features != null) {
            flags.put("input.features", String.join(",", features));
        }
        if (key != null) {
            flags.put("input.key", key);
        }
        Settings settings = ConfigSources.load(configFile, System.getenv(), flags).overriddenBy(learner.toSettings());
        return StreamGruConfig.from(settings);
    }

    /** The report's options, checked; null without --report (then its options are mistakes). */
    private ReportOptions reportOptions() {
        if (report == null) {
            Map<String, Object> reportOnly = new LinkedHashMap<>();
            reportOnly.put("--moving-average", movingAverage);
            reportOnly.put("--report-window", reportWindow);
            reportOnly.put("--plot-keys", plotKeys);
            reportOnly.put("--plot-points", plotPoints);
            reportOnly.put("--mape-epsilon", mapeEpsilon);
            reportOnly.values().removeIf(Objects::isNull);
            Set<String> given = reportOnly.keySet();
            if (!given.isEmpty()) {
                throw new InputException(String.join(", ", given) + (given.size() == 1 ? " shapes" : " shape")
                        + " the report: add --report DIR");
            }
            return null;
        }
        if (reportWindow != null && reportWindow < 1) {
            throw new InputException("--report-window must be >= 1, not " + reportWindow);
        }
        if (movingAverage != null && movingAverage < 0) {
            throw new InputException("--moving-average must be >= 0 (0 = off), not " + movingAverage);
        }
        return new ReportOptions(reportWindow == null ? 0 : reportWindow, plotKeys == null ? List.of() : plotKeys,
                plotPoints == null ? ReportOptions.DEFAULT_PLOT_POINTS : plotPoints,
                mapeEpsilon == null ? ReportOptions.DEFAULT_MAPE_EPSILON : mapeEpsilon);
    }

    private OnlineForecaster readModel(LearnerConfig options) {
        try (InputStream in = Files.newInputStream(model)) {
            return SafetensorsModel.read(in, options);
        } catch (NoSuchFileException e) {
            throw new InputException("no such model file: " + model);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException("cannot load model " + model + ": " + e.getMessage(), e);
        }
    }
}
