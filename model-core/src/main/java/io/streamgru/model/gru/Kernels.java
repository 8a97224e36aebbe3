package io.streamgru.model.gru;

/**
 * Which {@link ProductKernels} this JVM uses, chosen once when the class initialises: the Vector API
 * kernels when the JVM was started with {@code --add-modules jdk.incubator.vector} (and vectors of
 * at least four doubles), else the scalar ones. Both give the same numbers bit for bit; the vector
 * ones are faster. The system property {@code streamgru.kernels=scalar} forces the scalar kernels
 * (to compare the two in one build).
 *
 * <p>The vector class is loaded by name, so a JVM without the module never links it.
 */
public final class Kernels {

    /** The system property that forces the scalar kernels when set to {@code scalar}. */
    public static final String PROPERTY = "streamgru.kernels";

    static final ProductKernels PRODUCTS = choose();

    private Kernels() {
    }

    /** What the products run on, for a log line, e.g. {@code "vector (jdk.incubator.vector, 512-bit, 8 doubles)"}. */
    public static String description() {
        // No instanceof VectorProductKernels: resolving it would load the class without the module.
        if (PRODUCTS != ScalarProductKernels.INSTANCE || "scalar".equals(System.getProperty(PROPERTY))) {
            return PRODUCTS.name();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "scalar (start the JVM with --add-modules jdk.incubator.vector for the Vector API kernels)";
        }
        return "scalar (this machine's vectors hold fewer than 4 doubles)";
    }

    private static ProductKernels choose() {
        if ("scalar".equals(System.getProperty(PROPERTY))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return ScalarProductKernels.INSTANCE;
        }
        try {
            Class<?> type = Class.forName("io.streamgru.model.gru.VectorProductKernels");
            if (!(boolean) type.getDeclaredMethod("usable").invoke(null)) {
                return ScalarProductKernels.INSTANCE;
            }
            return (ProductKernels) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return ScalarProductKernels.INSTANCE;
        }
    }
}
