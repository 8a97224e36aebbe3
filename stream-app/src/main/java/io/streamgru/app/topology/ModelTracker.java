package io.streamgru.app.topology;

import io.streamgru.app.model.ModelVersion;
import io.streamgru.app.model.ModelVersionCodec;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows the newest published model version in the global model store. Checking costs one
 * store lookup and reading a version number; the parameters are decoded only when a newer version
 * has arrived.
 */
final class ModelTracker {

    private final KeyValueStore<String, byte[]> store;
    private final String modelName;
    private final String configHash;
    private ModelVersion current;

    ModelTracker(KeyValueStore<String, byte[]> store, String modelName, String configHash, ModelVersion initial) {
        this.store = store;
        this.modelName = modelName;
        this.configHash = configHash;
        this.current = initial;
    }

    ModelVersion current() {
        return current;
    }

    /** The newest version if it is newer than the current one (and becomes current), else null. */
    ModelVersion poll() {
        byte[] bytes = store.get(modelName);
        if (bytes == null || ModelVersionCodec.version(bytes) <= current.version()) {
            return null;
        }
        ModelVersion next = ModelVersionCodec.decodeWithoutOptimizerState(bytes);
        if (!next.configHash().equals(configHash)) {
            throw new IllegalStateException("model '" + modelName + "' version " + next.version()
                    + " belongs to configuration " + next.configHash() + ", this application runs " + configHash
                    + ": use another app.id or model.name for a model of another shape");
        }
        current = next;
        return next;
    }
}
