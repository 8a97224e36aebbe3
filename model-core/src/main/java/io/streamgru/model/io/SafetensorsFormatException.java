package io.streamgru.model.io;

import java.io.IOException;

/** Bytes that are not a valid safetensors file; the message says what is wrong and where. */
public class SafetensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public SafetensorsFormatException(String message) {
        super(message);
    }
}
