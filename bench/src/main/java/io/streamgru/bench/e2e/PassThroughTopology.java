package io.streamgru.bench.e2e;

import io.streamgru.app.input.InvalidRecordException;
import io.streamgru.app.input.Observation;
import io.streamgru.app.input.RecordDecoder;
import io.streamgru.app.topology.Forecast;
import io.streamgru.app.topology.ForecastEncoder;
import io.streamgru.app.topology.StoreNames;
import io.streamgru.app.topology.StreamGruTopology;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The baselines of the end-to-end benchmark: StreamGRU's learner topology with the learning taken
 * out. Both read the same input topic (byte[]), decode each record as the app does
 * ({@link RecordDecoder}, i.e. {@code JsonRecordDecoder} with the same fields), map it to a
 * forecast-sized record and write it with the app's encoder ({@link ForecastEncoder}, i.e.
 * {@code JsonForecastEncoder}) to an output topic. No GRU, no gradients, no optimizer, no model
 * topic, no global store.
 * <ul>
 * <li>{@link #stateless}: nothing else: the cheapest Kafka Streams app doing this job, what a user
 *     compares StreamGRU with.</li>
 * <li>{@link #sameShape}: also the app's {@code key-state} store (same kind, {@link
 *     StreamGruTopology#keyStateStore()}), with one get and one put per record of bytes exactly as
 *     long as {@code SeriesStateCodec} writes for the configured model at the same point of the
 *     key's chunk cycle: isolates the cost of the learning from the cost of the state.</li>
 * </ul>
 */
final class PassThroughTopology {

    private PassThroughTopology() {
    }

    /** Read, map to a forecast, write: no state. */
    static Topology stateless(String inputTopic, String outputTopic, String dlqTopic, String configHash, int horizon,
                              Supplier<RecordDecoder> decoders, Supplier<ForecastEncoder> encoders, int features,
                              LongAdder processed) {
        return build(inputTopic, outputTopic, dlqTopic, configHash, horizon, decoders, encoders, features, null, 0,
                processed);
    }

    /**
     * As {@link #stateless}, plus a key-state round trip per record.
     *
     * @param stateCycle the state bytes a key goes through, record after record, in the real app
     *                   (index 0: after a key's first record; the cycle then repeats from
     *                   {@code cycleStart})
     */
    static Topology sameShape(String inputTopic, String outputTopic, String dlqTopic, String configHash, int horizon,
                              Supplier<RecordDecoder> decoders, Supplier<ForecastEncoder> encoders, int features,
                              List<byte[]> stateCycle, int cycleStart, LongAdder processed) {
        return build(inputTopic, outputTopic, dlqTopic, configHash, horizon, decoders, encoders, features,
                stateCycle, cycleStart, processed);
    }

    private static Topology build(String inputTopic, String outputTopic, String dlqTopic, String configHash,
                                  int horizon, Supplier<RecordDecoder> decoders, Supplier<ForecastEncoder> encoders,
                                  int features, List<byte[]> stateCycle, int cycleStart, LongAdder processed) {
        Topology t = new Topology();
        ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
        ByteArraySerializer bytesOut = new ByteArraySerializer();
        t.addSource("input", bytesIn, bytesIn, inputTopic);
        t.addProcessor("pass-through", () -> new PassThroughProcessor(outputTopic, configHash, horizon,
                decoders.get(), encoders.get(), features, stateCycle, cycleStart, processed), "input");
        if (stateCycle != null) {
            t.addStateStore(StreamGruTopology.keyStateStore(), "pass-through");
        }
        t.addSink("forecasts-sink", outputTopic, bytesOut, bytesOut, "pass-through");
        t.addSink("dlq-sink", dlqTopic, bytesOut, bytesOut, "pass-through");
        return t;
    }

    /** Decode, (store get + put,) encode, forward: what the learner does around its maths. */
    static final class PassThroughProcessor implements Processor<byte[], byte[], byte[], byte[]> {

        private final String outputTopic;
        private final String configHash;
        private final int horizon;
        private final RecordDecoder decoder;
        private final ForecastEncoder encoder;
        private final Observation observation;
        /** Null: stateless. */
        private final List<byte[]> stateCycle;
        private final int cycleStart;
        private final Map<Integer, Integer> cycleIndexByLength = new HashMap<>();
        private final LongAdder processed;
        private ProcessorContext<byte[], byte[]> context;
        private TimestampedKeyValueStore<String, byte[]> keyState;

        PassThroughProcessor(String outputTopic, String configHash, int horizon, RecordDecoder decoder,
                             ForecastEncoder encoder, int features, List<byte[]> stateCycle, int cycleStart,
                             LongAdder processed) {
            this.outputTopic = outputTopic;
            this.configHash = configHash;
            this.horizon = horizon;
            this.decoder = decoder;
            this.encoder = encoder;
            this.observation = new Observation(features);
            this.stateCycle = stateCycle;
            this.cycleStart = cycleStart;
            this.processed = processed;
            for (int i = cycleStart; stateCycle != null && i < stateCycle.size(); i++) {
                if (cycleIndexByLength.put(stateCycle.get(i).length, i) != null) {
                    throw new IllegalArgumentException("state sizes in the cycle must differ");
                }
            }
        }

        @Override
        public void init(ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            this.keyState = stateCycle == null ? null : context.getStateStore(StoreNames.KEY_STATE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            processed.increment();
            try {
                decoder.decode(context.recordMetadata().map(m -> m.topic()).orElse(""), record.key(), record.value(),
                        record.timestamp(), observation);
            } catch (InvalidRecordException e) {
                // (never taken with the benchmark's input; DeadLetters.headers is package-private)
                context.forward(new Record<>(record.key(), record.value(), record.timestamp(),
                        new RecordHeaders().add("streamgru.error.reason",
                                e.reason().name().getBytes(StandardCharsets.UTF_8))), "dlq-sink");
                return;
            }
            String seriesId = observation.seriesId();
            if (keyState != null) {
                ValueAndTimestamp<byte[]> held = keyState.get(seriesId);
                keyState.put(seriesId, ValueAndTimestamp.make(nextState(held == null ? null : held.value()),
                        record.timestamp()));
            }
            double target = observation.target();
            // No model: a "prediction" with as many digits as a computed one, so the JSON is as long.
            double prediction = target * 1.000_000_123_4;
            double error = target - prediction;
            Forecast forecast = new Forecast(seriesId, observation.eventTime(), horizon, prediction, 0, configHash,
                    target, prediction, error, error * 3.1, false);
            context.forward(new Record<>(encoder.encodeKey(outputTopic, seriesId), encoder.encode(outputTopic, forecast),
                    record.timestamp(), new RecordHeaders()), "forecasts-sink");
        }

        /** The bytes the real app would store next for this key (same length; a copy, as the codec allocates). */
        private byte[] nextState(byte[] stored) {
            int next;
            if (stored == null) {
                next = 0;
            } else {
                Integer i = cycleIndexByLength.get(stored.length);
                next = i == null ? 1 : i + 1;
                if (next >= stateCycle.size()) {
                    next = cycleStart;
                }
            }
            return stateCycle.get(next).clone();
        }
    }
}
