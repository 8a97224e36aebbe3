package io.streamgru.app.testing.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgru.app.testing.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Proves exactly-once delivery of forecasts from the outside, as a downstream consumer sees them
 * ({@code read_committed}): every reading written has exactly one forecast, each key's forecasts
 * come in the order of its readings (event times strictly rising) and carry that reading's target
 * as {@code actual}, no forecast holds a non-finite number, and the model's versions are 1…n.
 *
 * <p>This is the check of the end-to-end tests ("each key's targets in order") made countable, so a
 * fault run can report how many were lost or duplicated instead of stopping at the first.
 */
public final class ForecastAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ForecastAudit() {
    }

    /**
     * Reads {@code forecastTopic} from the beginning until it holds a forecast for every reading
     * (or no new forecast has come for {@code patience}), then until it has been quiet for two
     * seconds, and audits it against the versions {@code model} has seen.
     */
    public static AuditResult await(String bootstrapServers, String forecastTopic, List<Reading> readings,
                                    ModelWatch model, Duration patience) throws InterruptedException {
        TopicReader reader = new TopicReader(bootstrapServers);
        int count = -1;
        long progressed = System.nanoTime();
        while (true) {
            List<ConsumerRecord<byte[], byte[]>> forecasts = reader.readUntilIdle(forecastTopic, Duration.ofSeconds(2),
                    Duration.ofMinutes(2), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            AuditResult result = audit(readings, forecasts, model.seen());
            if (forecasts.size() > count) {
                count = forecasts.size();
                progressed = System.nanoTime();
            }
            if (result.lost() == 0 || System.nanoTime() - progressed > patience.toNanos()) {
                return result;
            }
            Thread.sleep(1000);
        }
    }

    /** Audits {@code forecasts} (in topic order) against the {@code readings} written and the model versions seen. */
    public static AuditResult audit(List<Reading> readings, List<ConsumerRecord<byte[], byte[]>> forecasts,
                                    List<ModelWatch.Seen> versions) {
        Map<String, Map<Long, Reading>> expected = new LinkedHashMap<>();
        for (Reading r : readings) {
            expected.computeIfAbsent(r.key(), k -> new HashMap<>()).put(r.eventTime(), r);
        }
        List<String> problems = new ArrayList<>();
        Map<String, Long> lastEventTime = new HashMap<>();
        Map<String, Set<Long>> seen = new HashMap<>();
        int audited = 0;
        int duplicate = 0;
        int reordered = 0;
        int mismatched = 0;
        int nonFinite = 0;
        for (ConsumerRecord<byte[], byte[]> record : forecasts) {
            JsonNode f = parse(record.value());
            String key = f.path("series_id").asText();
            long eventTime = f.path("event_time").asLong();
            if (!finite(f.get("prediction")) || (number(f.get("actual")) && number(f.get("resolved_prediction"))
                    && !finite(f.get("error")))) {
                nonFinite++;
                note(problems, "non-finite forecast " + f);
            }
            Map<Long, Reading> ofKey = expected.get(key);
            if (ofKey == null) {
                continue; // not a key of this audit (e.g. a poison key): only its numbers are checked
            }
            audited++;
            Reading reading = ofKey.get(eventTime);
            if (reading == null) {
                mismatched++;
                note(problems, "forecast of no written reading: " + f);
                continue;
            }
            if (!seen.computeIfAbsent(key, k -> new HashSet<>()).add(eventTime)) {
                duplicate++;
                note(problems, "duplicate forecast of " + key + " #" + reading.sequence() + " at "
                        + record.partition() + "@" + record.offset());
            }
            Long previous = lastEventTime.put(key, eventTime);
            if (previous != null && eventTime <= previous) {
                reordered++;
                note(problems, "forecast of " + key + " at event time " + eventTime + " after one at " + previous
                        + " (" + record.partition() + "@" + record.offset() + ")");
            }
            if (!number(f.get("actual")) || Math.abs(f.get("actual").asDouble() - reading.target())
                    > 1e-9 * Math.max(1, Math.abs(reading.target()))) {
                mismatched++;
                note(problems, "forecast of " + key + " #" + reading.sequence() + " has actual " + f.get("actual")
                        + ", the reading's target is " + reading.target());
            }
        }
        int lost = 0;
        for (Map.Entry<String, Map<Long, Reading>> key : expected.entrySet()) {
            Set<Long> got = seen.getOrDefault(key.getKey(), Set.of());
            for (Reading r : key.getValue().values()) {
                if (!got.contains(r.eventTime())) {
                    lost++;
                    note(problems, "no forecast of " + r);
                }
            }
        }
        List<String> gaps = ModelWatch.gaps(versions);
        problems.addAll(gaps);
        return new AuditResult(readings.size(), audited, lost, duplicate, reordered, mismatched, nonFinite,
                versions.size(), gaps.isEmpty(), List.copyOf(problems));
    }

    private static JsonNode parse(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("a forecast that is not JSON", e);
        }
    }

    private static boolean number(JsonNode node) {
        return node != null && node.isNumber();
    }

    /** JSON has no NaN or Infinity: the app writes them as null, so a missing number is a non-finite one. */
    private static boolean finite(JsonNode node) {
        return number(node) && Double.isFinite(node.asDouble());
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < 10) {
            problems.add(problem);
        }
    }
}
