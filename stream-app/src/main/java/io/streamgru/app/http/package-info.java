/**
 * The HTTP endpoint of {@code run} and {@code demo}: {@code /metrics} (Prometheus), {@code /health},
 * {@code /ready} and {@code /}. Built on the JDK's {@code com.sun.net.httpserver} (see
 * {@link io.streamgru.app.http.HttpEndpoint} for why). Knows the application only through
 * {@link io.streamgru.app.http.Probe}s and the meters, so it depends on {@code config} and
 * {@code metrics}, never on {@code runtime}.
 */
package io.streamgru.app.http;
