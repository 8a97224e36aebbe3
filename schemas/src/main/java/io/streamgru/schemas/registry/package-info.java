/**
 * A client for the Confluent Schema Registry REST API (v1 media type), as spoken by Confluent
 * Schema Registry, Apicurio Registry's {@code /apis/ccompat/v7}, Karapace and Redpanda.
 *
 * <p>{@link io.streamgru.schemas.registry.SchemaRegistryClient} is the contract;
 * {@link io.streamgru.schemas.registry.HttpSchemaRegistryClient} talks HTTP(S) with basic auth and
 * bounded retries; {@link io.streamgru.schemas.registry.CachingSchemaRegistryClient} adds the caches
 * a serde needs so that a steady stream of records makes no registry calls at all. Failures are
 * {@link io.streamgru.schemas.registry.SchemaRegistryException}s that carry the HTTP status and the
 * registry's {@code error_code}. The in-process registry for tests lives in
 * {@link io.streamgru.schemas.registry.memory}, the HTTP server in front of it in
 * {@link io.streamgru.schemas.registry.server}.
 */
package io.streamgru.schemas.registry;
