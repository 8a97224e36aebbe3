package io.streamgru.app.replay;

import io.streamgru.app.versions.ModelVersion;
import java.util.Optional;

/** Where a replay finds the model version to start from and publishes the one it trained. */
public interface PublishedModels extends AutoCloseable {

    /** The newest published version of the application's model, if any. */
    Optional<ModelVersion> latest();

    /** Publishes {@code contents} as the next version (origin "replay") and returns what was published. */
    ModelVersion publishNext(ModelVersion contents) throws InterruptedException;

    @Override
    void close();
}
