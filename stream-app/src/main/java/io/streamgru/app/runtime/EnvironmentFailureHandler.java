package io.streamgru.app.runtime;

import io.streamgru.app.config.EnvironmentException;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Kafka Streams' processing exception handler for StreamGRU's applications: every exception a
 * processor throws fails the task, as Kafka's default does (invalid records never get here: the
 * learner dead-letters them itself). An {@link EnvironmentException} fails it without Kafka's
 * stack trace in the log: {@code StreamGruApp} reports it in one line and stops the instance.
 */
public final class EnvironmentFailureHandler implements ProcessingExceptionHandler {

    private final LogAndFailProcessingExceptionHandler others = new LogAndFailProcessingExceptionHandler();

    @Override
    public void configure(Map<String, ?> configs) {
        others.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        for (Throwable c = exception; c != null; c = c.getCause()) {
            if (c instanceof EnvironmentException) {
                return Response.fail();
            }
        }
        return others.handleError(context, record, exception);
    }
}
