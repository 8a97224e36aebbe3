package io.streamgru.app.replay;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.versions.ModelPublisher;
import io.streamgru.app.versions.ModelVersion;
import java.util.Optional;

/** The application's model topics: the newest version there, and publishing the next one. */
public final class TopicModels implements PublishedModels {

    private final ModelPublisher publisher;

    public TopicModels(StreamGruConfig config) {
        this.publisher = new ModelPublisher(config);
    }

    @Override
    public Optional<ModelVersion> latest() {
        return publisher.reader().latest();
    }

    @Override
    public ModelVersion publishNext(ModelVersion contents) throws InterruptedException {
        return publisher.publishNext(contents, Replay.ORIGIN);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
