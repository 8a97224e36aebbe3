package io.streamgru.schemas.serde;

import io.streamgru.schemas.DeadLetter;
import io.streamgru.schemas.Forecast;
import io.streamgru.schemas.ModelSnapshot;
import io.streamgru.schemas.SensorReading;

import java.util.List;
import java.util.Optional;

/**
 * StreamGRU's top-level message classes: the ones {@code specific.avro.reader=true} may read into
 * when no type is configured, chosen by the writer schema's full name.
 */
final class StreamGruTypes {

    private static final List<Class<?>> MESSAGES = List.of(
            SensorReading.class, Forecast.class, ModelSnapshot.class, DeadLetter.class);

    private StreamGruTypes() {
    }

    static Optional<Class<?>> forName(String fullName) {
        return MESSAGES.stream().filter(type -> type.getName().equals(fullName)).findFirst();
    }

    static List<Class<?>> all() {
        return MESSAGES;
    }
}
