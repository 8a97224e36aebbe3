/**
 * A Kafka broker inside the StreamGRU process, for {@code streamgru demo} on a machine without
 * Kafka and as the in-JVM backend of the integration tests: {@link io.streamgru.app.embedded.EmbeddedKafka}.
 */
package io.streamgru.app.embedded;
