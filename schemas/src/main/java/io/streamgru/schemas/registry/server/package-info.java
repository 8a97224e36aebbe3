/**
 * {@link io.streamgru.schemas.registry.server.LocalSchemaRegistryServer}: an
 * {@link io.streamgru.schemas.registry.memory.InMemorySchemaRegistry} served over HTTP with the
 * subset of the Confluent Schema Registry REST API that serdes and tools use, so kcat, Confluent's
 * Python client and StreamGRU's own HTTP client can share one registry in a demo or a test. Built on
 * the JDK's {@code com.sun.net.httpserver}; no dependencies.
 */
package io.streamgru.schemas.registry.server;
