/**
 * Creating and checking the Kafka topics StreamGRU uses:
 * {@link io.streamgru.app.topics.TopicProvisioner}. Its own package because both the running
 * application ({@code app.runtime}) and the model tools ({@code app.versions}: replay, import,
 * rollback publish versions) provision topics, and runtime already depends on versions.
 */
package io.streamgru.app.topics;
