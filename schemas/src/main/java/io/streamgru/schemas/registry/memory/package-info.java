/**
 * An in-process Schema Registry: {@link io.streamgru.schemas.registry.memory.InMemorySchemaRegistry}
 * is the store (subjects, versions, global ids, compatibility rules),
 * {@link io.streamgru.schemas.registry.memory.MockSchemaRegistryClient} is a client over it, and
 * {@link io.streamgru.schemas.registry.memory.MockRegistries} names stores by scope for
 * {@code mock://scope} URLs. There is deliberately no JVM-wide registry: whoever wants a serializer
 * and a deserializer to share a mock scope passes them the same {@code MockRegistries}.
 */
package io.streamgru.schemas.registry.memory;
