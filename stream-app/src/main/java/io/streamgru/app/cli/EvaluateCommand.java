package io.streamgru.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamgru.app.evaluate.CsvDataset;
import io.streamgru.app.evaluate.EvaluationSummary;
import io.streamgru.app.evaluate.InputException;
import io.streamgru.app.evaluate.PredictionsCsv;
import io.streamgru.model.online.LearnerConfig;
import io.streamgru.model.online.OnlineForecaster;
import io.streamgru.model.online.PrequentialEvaluation;
import io.streamgru.model.online.SafetensorsModel;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code streamgru evaluate}: a prequential (predict, then learn) single pass over a CSV file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the online learner over a CSV file once, as it would run on a stream: each row is",
            "forecast first, then learned from (progressive validation). Reports MAE/RMSE next to",
            "the persistence baseline (the last known target)."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "FILE.csv", description = "CSV file with a header row.")
    Path input;

    @Option(names = "--target", required = true, paramLabel = "COL", description = "Column to forecast.")
    String target;

    @Option(names = "--features", split = ",", paramLabel = "COL", description = "Feature columns (default: none, univariate).")
    List<String> features = List.of();

    @Option(names = "--key", paramLabel = "COL", description = "Series id column: one hidden state per key, one shared model.")
    String key;

    @Mixin
    LearnerOptions learner;

    @Option(names = "--model", paramLabel = "FILE.safetensors", description = "Start from this model (StreamGRU or PyTorch nn.GRU + Linear).")
    Path model;

    @Option(names = "--save-model", paramLabel = "FILE.safetensors", description = "Write the final model here.")
    Path saveModel;

    @Option(names = "--predictions", paramLabel = "OUT.csv", description = "Write row,key,prediction,target for every row.")
    Path predictions;

    @Option(names = "--json", description = "Print one JSON object instead of the readable summary.")
    boolean json;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CsvDataset dataset = CsvDataset.read(input, target, features, key);
        LearnerConfig options = learner.toConfig(features.size());
        OnlineForecaster forecaster = model == null ? new OnlineForecaster(options) : readModel(options);
        LearnerConfig config = forecaster.config();
        if (config.features() != features.size()) {
            throw new InputException("the model in " + model + " reads " + config.features()
                    + " features, but --features names " + features.size());
        }
        PrintWriter err = spec.commandLine().getErr();
        PrequentialEvaluation.Progress progress = quiet ? PrequentialEvaluation.Progress.NONE
                : new ProgressLine(err, "evaluate");
        PrequentialEvaluation.Result result = PrequentialEvaluation.run(forecaster, dataset.data(), progress);
        if (predictions != null) {
            PredictionsCsv.write(predictions, dataset, result);
        }
        if (saveModel != null) {
            try (OutputStream out = Files.newOutputStream(saveModel)) {
                SafetensorsModel.write(forecaster, out);
            }
        }
        EvaluationSummary summary = EvaluationSummary.of(input.toString(), dataset, forecaster, result);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .writeValueAsString(summary.toJson()));
        } else {
            out.print(summary.toText());
        }
        out.flush();
        return 0;
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
