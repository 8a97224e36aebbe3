package io.streamgru.app.topology;

import io.streamgru.app.versions.ModelVersion;
import io.streamgru.app.versions.ModelVersionCodec;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the newest published model version in the global model store. Checking costs one
 * store lookup and reading a version number; the parameters are decoded only when a newer version
 * has arrived. A version that cannot be read, or whose numbers are not finite, is refused (logged
 * once, the current version stays in use) rather than thrown on every record.
 */
final class ModelTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTracker.class);

    private final KeyValueStore<String, byte[]> store;
    private final String modelName;
    private final String configHash;
    private final int parameters;
    private ModelVersion current;
    /** The newest version refused (unreadable or not finite): not decoded again. */
    private long refused = -1;

    ModelTracker(KeyValueStore<String, byte[]> store, String modelName, String configHash, ModelVersion initial) {
        this.store = store;
        this.modelName = modelName;
        this.configHash = configHash;
        this.current = initial;
        this.parameters = initial.parameters().length;
    }

    ModelVersion current() {
        return current;
    }

    /** The newest version if it is newer than the current one (and becomes current), else null. */
    ModelVersion poll() {
        byte[] bytes = store.get(modelName);
        if (bytes == null) {
            return null;
        }
        long number;
        ModelVersion next;
        try {
            number = ModelVersionCodec.version(bytes);
            if (number <= current.version() || number == refused) {
                return null;
            }
            next = ModelVersionCodec.decodeWithoutOptimizerState(bytes);
        } catch (RuntimeException e) {
            return refuse(bytes, "unreadable: " + e.getMessage());
        }
        requireConfiguration(next, modelName, configHash);
        String why = unusable(next, parameters);
        if (why != null) {
            return refuse(bytes, why);
        }
        current = next;
        return next;
    }

    /**
     * A version of another configuration is a deployment mistake, not bad data: it stops the
     * application with one line.
     */
    static void requireConfiguration(ModelVersion v, String modelName, String configHash) {
        if (!v.configHash().equals(configHash)) {
            throw new IllegalStateException("model '" + modelName + "' version " + v.version()
                    + " belongs to configuration " + v.configHash() + ", this application runs " + configHash
                    + ": use another app.id or model.name for a model of another shape");
        }
    }

    /** Why a version of this configuration cannot be used (not finite, or not of the model's shape), else null. */
    static String unusable(ModelVersion v, int parameters) {
        if (v.parameters().length != parameters || !allFinite(v.parameters()) || !allFinite(v.featureStats())
                || !allFinite(v.targetStats()) || !allFinite(v.optimizerState())) {
            return "its parameters or statistics are not finite or not of this model's shape";
        }
        return null;
    }

    /** Keeps the current version; the refused one is logged once and not read again. */
    private ModelVersion refuse(byte[] bytes, String why) {
        long number;
        try {
            number = ModelVersionCodec.version(bytes);
        } catch (RuntimeException e) {
            number = Long.MIN_VALUE;
        }
        if (number != refused) {
            refused = number;
            LOG.warn("model '{}': version {} refused, version {} stays in use ({})", modelName, number,
                    current.version(), why);
        }
        return null;
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
