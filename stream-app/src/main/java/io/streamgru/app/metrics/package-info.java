/**
 * The process's meter registry and its Prometheus exposition: JVM meters bound here; StreamGRU's
 * own meters ({@code topology.StreamGruMetrics}) and Kafka Streams' client metrics
 * ({@code runtime.StreamGruApp}) are registered in it by their owners.
 */
package io.streamgru.app.metrics;
