/**
 * The live dashboard's data: a bounded history of the instance's meters sampled once a second, and
 * the last forecasts of a few chosen keys, as one JSON document the page at {@code /} draws.
 * Depends on topology (the meters and forecasts it reads); the http package serves it.
 */
package io.streamgru.app.dashboard;
