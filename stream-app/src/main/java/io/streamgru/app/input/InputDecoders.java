package io.streamgru.app.input;

import io.streamgru.app.config.RegistrySettings;
import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.schemas.registry.SchemaRegistryClient;
import io.streamgru.schemas.serde.ConfluentAvroDeserializer;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the input decoders a configuration asks for (JSON, or Avro through the schema registry),
 * the same for the live topology and for the history readers ({@code replay}, {@code evaluate}).
 */
public final class InputDecoders {

    private InputDecoders() {
    }

    /**
     * A supplier of fresh decoders (decoders keep per-instance buffers: one per thread or task);
     * {@code registry} may be null for JSON input.
     */
    public static Supplier<RecordDecoder> of(StreamGruConfig config, SchemaRegistryClient registry) {
        InputFields fields = InputFields.of(config.input().key(), config.input().time(), config.input().features(),
                config.input().target());
        if (config.input().format() != StreamGruConfig.Format.AVRO) {
            return () -> new JsonRecordDecoder(fields);
        }
        Map<String, Object> serdeConfig = RegistrySettings.serdeConfig(config.registry());
        return () -> new AvroRecordDecoder(configured(new ConfluentAvroDeserializer<>(registry), serdeConfig, false),
                configured(new ConfluentAvroDeserializer<>(registry), serdeConfig, true), fields);
    }

    private static ConfluentAvroDeserializer<Object> configured(ConfluentAvroDeserializer<Object> d,
                                                                Map<String, Object> serdeConfig, boolean isKey) {
        d.configure(serdeConfig, isKey);
        return d;
    }
}
