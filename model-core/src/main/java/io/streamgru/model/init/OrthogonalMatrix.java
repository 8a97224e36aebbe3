package io.streamgru.model.init;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.qr.QRDecompositionHouseholderColumn_DDRM;

/**
 * A random orthogonal square matrix, drawn as {@code torch.nn.init.orthogonal_} does: QR of a
 * matrix of standard normals, then each column of Q multiplied by the sign of R's diagonal entry.
 * The sign fix makes the factorisation unique, so Q is uniformly (Haar) distributed rather than
 * biased by the QR algorithm's sign convention.
 */
final class OrthogonalMatrix {

    private OrthogonalMatrix() {
    }

    /** Writes an {@code n × n} orthogonal matrix, row-major, to {@code dst} at {@code offset}. */
    static void fill(double[] dst, int offset, int n, Sampler sampler) {
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        for (int i = 0; i < n * n; i++) {
            a.data[i] = sampler.gaussian(); // row-major, like torch's normal_ on the flattened block
        }
        // A concrete single-threaded decomposition: same arithmetic, same bits, on every run.
        QRDecompositionHouseholderColumn_DDRM qr = new QRDecompositionHouseholderColumn_DDRM();
        if (!qr.decompose(a)) {
            throw new IllegalStateException("QR decomposition of a " + n + "x" + n + " Gaussian matrix failed");
        }
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj r = qr.getR(null, false);
        for (int j = 0; j < n; j++) {
            // torch uses sign(), which is 0 for a zero diagonal; +1 keeps Q orthogonal in that
            // (probability-zero) case.
            double sign = r.get(j, j) < 0 ? -1.0 : 1.0;
            for (int i = 0; i < n; i++) {
                dst[offset + i * n + j] = sign * q.get(i, j);
            }
        }
    }
}
