package io.streamgru.schemas.registry;

/**
 * A Schema Registry call failed. Carries the HTTP status and the registry's {@code error_code}
 * (Confluent's codes; Apicurio's ccompat API uses the same ones), so callers can tell "not there"
 * from "not allowed" from "registry down" without parsing text.
 *
 * <p>The message names the request and the registry's own message, e.g.
 * {@code GET http://127.0.0.1:8081/schemas/ids/99 -> 404 (error_code 40403): Schema 99 not found}.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Schema (id, or schema under a subject) not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Incompatible schema (HTTP 409). */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Unauthorized (HTTP 401). */
    public static final int UNAUTHORIZED = 40101;
    /** Invalid schema (HTTP 422). */
    public static final int INVALID_SCHEMA = 42201;
    /** Invalid version (HTTP 422). */
    public static final int INVALID_VERSION = 42202;
    /** Invalid compatibility level (HTTP 422). */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Error in the backend store (HTTP 500). */
    public static final int STORE_ERROR = 50001;
    /** No HTTP status: the request never got an answer. */
    public static final int NO_STATUS = -1;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /**
     * The exception type that fits an error answer: {@link SchemaNotFoundException} for the 404xx
     * codes, {@link IncompatibleSchemaException} for 409, this class otherwise.
     */
    public static SchemaRegistryException of(int status, int errorCode, String message) {
        if (status == 404 || errorCode / 100 == 404) {
            return new SchemaNotFoundException(status, errorCode, message);
        }
        if (status == 409) {
            return new IncompatibleSchemaException(status, errorCode, message);
        }
        return new SchemaRegistryException(status, errorCode, message);
    }

    /** HTTP status of the answer, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    /** The registry's {@code error_code} (e.g. 40403), or the HTTP status when it sent none. */
    public int errorCode() {
        return errorCode;
    }
}
