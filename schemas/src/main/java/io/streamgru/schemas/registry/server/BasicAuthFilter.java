package io.streamgru.schemas.registry.server;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Rejects requests without the expected basic-auth credentials, as the registry does: 401, 40101. */
final class BasicAuthFilter extends Filter {

    private final byte[] expected;

    BasicAuthFilter(String userInfo) {
        this.expected = ("Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        // Constant-time comparison: the demo server should not teach bad habits.
        if (header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            chain.doFilter(exchange);
            return;
        }
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
        JsonResponses.error(exchange, 401, 40101, "Unauthorized");
    }

    @Override
    public String description() {
        return "basic auth";
    }
}
