package io.streamgru.schemas;

import io.streamgru.schemas.numeric.PackedArrayCodec;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every StreamGRU message, for round-trip tests. */
public final class SampleMessages {

    private SampleMessages() {
    }

    public static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123Z");

    public static SensorReading reading() {
        return SensorReading.newBuilder()
                .setSeriesId("sensor-7")
                .setEventTime(T0)
                .setFeatures(Map.of("humidity", 0.41, "pressure", 1013.25))
                .setTarget(21.5)
                .build();
    }

    public static Forecast forecast() {
        return Forecast.newBuilder()
                .setSeriesId("sensor-7")
                .setEventTime(T0)
                .setHorizon(3)
                .setPrediction(22.75)
                .setPredictions(List.of(21.9, 22.3, 22.75))
                .setModelVersion(42)
                .setConfigHash("c0ffee")
                .setActual(21.5)
                .setError(-0.25)
                .setResolvedEventTime(T0.minusSeconds(180))
                .setLower(21.25)
                .setUpper(24.25)
                .setIntervalLevel(0.9)
                .setModelForecast(23.5)
                .setExpert("persistence")
                .build();
    }

    /** A forecast that resolves nothing yet: the nullable fields stay null. */
    public static Forecast unresolvedForecast() {
        return Forecast.newBuilder()
                .setSeriesId("sensor-8")
                .setEventTime(T0)
                .setHorizon(1)
                .setPrediction(3.0)
                .setModelVersion(1)
                .setConfigHash("c0ffee")
                .build();
    }

    public static ModelConfig config() {
        return ModelConfig.newBuilder()
                .setFeatures(List.of("humidity", "pressure"))
                .setTarget("temperature")
                .setHorizon(1)
                .setAutoregressive(true)
                .setResidual(true)
                .setHidden(16)
                .setLayers(2)
                .setHead("mlp")
                .setHeadHidden(8)
                .setNormalize(true)
                .setChunk(16)
                .setWindow(32)
                .setOptimizer("adamw")
                .setLearningRate(3e-3)
                .setClip(1.0)
                .setWeightDecay(1e-4)
                .setLoss("huber")
                .setSeed(7)
                .build();
    }

    public static ModelSnapshot snapshot() {
        return ModelSnapshot.newBuilder()
                .setVersion(42)
                .setConfig(config())
                .setConfigHash("c0ffee")
                .setParameters(PackedArrayCodec.pack(new double[] {0.5, -0.25, Math.PI}, Dtype.FLOAT64))
                .setOptimizerState(PackedArrayCodec.pack(new double[] {42, 0.1, 0.2, 0.3, 1e-3, 2e-3, 3e-3}, Dtype.FLOAT64))
                .setFeatureNormalizer(PackedArrayCodec.pack(new double[] {2, 10, 10, 0.4, 1013, 0.1, 5.5}, Dtype.FLOAT64))
                .setTargetNormalizer(PackedArrayCodec.pack(new double[] {1, 10, 21.0, 3.5}, Dtype.FLOAT64))
                .setOptimizerStep(42)
                .setRecordsTrained(1344)
                .setCreatedAt(T0)
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setReason("BAD_MAGIC_BYTE")
                .setMessage("first byte is 0x7b")
                .setSourceTopic("sensors")
                .setSourcePartition(2)
                .setSourceOffset(1234)
                .setSourceTimestamp(T0)
                .setKey(ByteBuffer.wrap("sensor-7".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {0x7b, 0x22}))
                .setFailedAt(T0.plusMillis(5))
                .build();
    }

    /** Every message type, for tests that cover them all. */
    public static List<org.apache.avro.specific.SpecificRecordBase> all() {
        return List.of(reading(), forecast(), unresolvedForecast(), snapshot(), deadLetter());
    }
}
