package io.streamgru.app.replay;

import io.streamgru.app.versions.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Published versions kept in a list: replays that are not about the model topic. */
final class InMemoryModels implements PublishedModels {

    final List<ModelVersion> published = new ArrayList<>();

    @Override
    public Optional<ModelVersion> latest() {
        return published.isEmpty() ? Optional.empty() : Optional.of(published.get(published.size() - 1));
    }

    @Override
    public ModelVersion publishNext(ModelVersion contents) {
        published.add(contents);
        return contents;
    }

    @Override
    public void close() {
    }
}
