package io.streamgru.app.http;

import java.util.Optional;

/** A question about the application that {@code /health} or {@code /ready} answers: what is wrong, if anything. */
@FunctionalInterface
public interface Probe {

    /** Empty when all is well; else one line saying why not. */
    Optional<String> problem();
}
