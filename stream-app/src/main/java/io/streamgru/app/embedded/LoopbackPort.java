package io.streamgru.app.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A TCP port on the loopback interface that nothing listens on right now. */
final class LoopbackPort {

    private LoopbackPort() {
    }

    /**
     * Asks the OS for an ephemeral port and releases it again. Another process could take it
     * before the broker binds it; the window is a few milliseconds, and the broker would then fail
     * to start with a clear bind error rather than misbehave.
     */
    static int pickFree() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
