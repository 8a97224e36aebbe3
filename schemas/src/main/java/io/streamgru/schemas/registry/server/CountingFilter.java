package io.streamgru.schemas.registry.server;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/** Counts every request before anything can reject it. */
final class CountingFilter extends Filter {

    private final AtomicLong requests;

    CountingFilter(AtomicLong requests) {
        this.requests = requests;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        requests.incrementAndGet();
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "counts requests";
    }
}
