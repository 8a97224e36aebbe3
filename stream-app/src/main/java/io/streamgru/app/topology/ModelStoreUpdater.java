package io.streamgru.app.topology;

import io.streamgru.app.versions.ModelVersionCodec;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global model store at the newest version published on the model topic. */
final class ModelStoreUpdater implements Processor<byte[], byte[], Void, Void> {

    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(StoreNames.MODEL);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return; // a tombstone or foreign record: the newest model stays
        }
        String name = new String(record.key(), StandardCharsets.UTF_8);
        byte[] current = store.get(name);
        try {
            if (current == null || ModelVersionCodec.version(record.value()) > ModelVersionCodec.version(current)) {
                store.put(name, record.value());
            }
        } catch (IllegalArgumentException e) {
            // not a model version: ignore it rather than stop every instance
        }
    }
}
