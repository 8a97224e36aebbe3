package io.streamgru.app.replay;

import io.streamgru.app.config.StreamGruConfig;
import io.streamgru.app.model.ModelVersion;
import java.util.Optional;

/** The application's model topic: the newest version there, and publishing the next one. */
public final class TopicModels implements PublishedModels {

    private final StreamGruConfig config;

    public TopicModels(StreamGruConfig config) {
        this.config = config;
    }

    @Override
    public Optional<ModelVersion> latest() {
        return Optional.empty(); // TODO(merge): ModelTopicReader.latest(config)
    }

    @Override
    public ModelVersion publishNext(ModelVersion contents) {
        throw new UnsupportedOperationException("TODO(merge): ModelPublisher " + config.modelTopic());
    }

    @Override
    public void close() {
    }
}
