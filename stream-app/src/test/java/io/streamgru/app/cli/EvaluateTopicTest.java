package io.streamgru.app.cli;

import static io.streamgru.app.cli.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamgru.app.evaluate.ReportWriter;
import io.streamgru.app.testing.KafkaTestCluster;
import io.streamgru.app.testing.WithKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamgru evaluate} over a topic: the same report, with the same numbers, as over the same rows in a CSV file. */
@WithKafka
class EvaluateTopicTest {

    @TempDir
    Path dir;

    @Test
    void aTopicEvaluatesLikeTheSameRowsInACsvFile(KafkaTestCluster kafka) throws Exception {
        String topic = kafka.newTopic("eval-in", 3);
        // Event times increase in the order written (no ties), so the topic's merge order is the CSV's row order.
        List<String> csv = new ArrayList<>();
        csv.add("site,load,demand");
        List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
        java.util.Random random = new java.util.Random(5);
        for (int t = 0; t < 150; t++) {
            for (int k = 0; k < 4; k++) {
                double load = Math.sin(0.3 * t + k);
                double demand = 50 + 10 * k + 8 * Math.sin(2 * Math.PI * t / 12.0 + k) + 2 * load + random.nextGaussian();
                String site = "site-" + k;
                String l = String.format(Locale.ROOT, "%.5f", load);
                String d = String.format(Locale.ROOT, "%.5f", demand);
                csv.add(site + "," + l + "," + d);
                records.add(KeyValue.pair(site.getBytes(StandardCharsets.UTF_8), String.format(Locale.ROOT,
                        "{\"load\":%s,\"demand\":%s,\"at\":%d}", l, d, 1_700_000_000_000L + t * 3_600_000L + k)
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        records.add(KeyValue.pair("site-9".getBytes(StandardCharsets.UTF_8), "{oops".getBytes(StandardCharsets.UTF_8)));
        kafka.produce(topic, records);
        Path file = dir.resolve("demand.csv");
        Files.write(file, csv);
        Path config = dir.resolve("streamgru.properties");
        Files.writeString(config, String.join("\n",
                "app.id=eval-" + System.nanoTime(),
                "kafka.bootstrap.servers=" + kafka.bootstrapServers(),
                "input.topics=" + topic,
                "input.features=load",
                "input.target=demand",
                "input.time=at",
                ""));
        String[] learner = {"--hidden", "8", "--chunk", "8", "--window", "16", "--season", "12", "--quiet"};

        var fromCsv = run(concat(new String[] {"evaluate", "--input", file.toString(), "--target", "demand",
                "--features", "load", "--key", "site", "--report", dir.resolve("csv").toString(), "--json"}, learner));
        var fromTopic = run(concat(new String[] {"evaluate", "--config", config.toString(),
                "--report", dir.resolve("topic").toString(), "--json"}, learner));

        assertThat(fromCsv.exitCode()).as(fromCsv.err()).isZero();
        assertThat(fromTopic.exitCode()).as(fromTopic.err()).isZero();
        for (String name : List.of(ReportWriter.JSON, ReportWriter.MARKDOWN, ReportWriter.HTML)) {
            assertThat(dir.resolve("topic").resolve(name)).isNotEmptyFile();
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode csvReport = json.readTree(dir.resolve("csv").resolve(ReportWriter.JSON).toFile());
        JsonNode topicReport = json.readTree(dir.resolve("topic").resolve(ReportWriter.JSON).toFile());
        assertThat(topicReport.get("rows").asInt()).isEqualTo(600);
        assertThat(topicReport.get("series").asInt()).isEqualTo(4);
        assertThat(topicReport.get("overall").get("model").get("mae").isNumber()).isTrue();
        for (String field : List.of("overall", "keys", "windows", "methods", "scored", "rows", "horizon", "model")) {
            assertThat(topicReport.get(field)).as(field).isEqualTo(csvReport.get(field));
        }
        JsonNode csvSummary = json.readTree(fromCsv.out());
        JsonNode topicSummary = json.readTree(fromTopic.out());
        // The topic's one undecodable record is rejected and counted; it never reaches the model.
        assertThat(csvSummary.get("rejected_rows").size()).isZero();
        assertThat(topicSummary.get("rejected_rows").get("CORRUPT").asLong()).isEqualTo(1);
        assertThat(withoutSourceSpeedAndRejections(topicSummary)).isEqualTo(withoutSourceSpeedAndRejections(csvSummary));
    }

    private static JsonNode withoutSourceSpeedAndRejections(JsonNode summary) {
        ObjectNode o = summary.deepCopy();
        o.remove(List.of("input", "train_records_per_second", "rejected_rows"));
        return o;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
