package io.streamgru.model.gru;

/**
 * Scratch memory for {@link GruModel#step} and {@link PreparedModel#step}: allocate one per thread
 * and reuse it, so a forward step allocates nothing.
 */
public final class StepWorkspace {

    final double[] gi;
    final double[] gh;
    final double[] r;
    final double[] z;
    final double[] n;
    final double[] ghn;
    final double[] u;
    // For PreparedModel.step: partial sums of the column products and zero-offset state slots.
    final double[] s1;
    final double[] s2;
    final double[] s3;
    final double[] hIn;
    final double[] hOut;

    public StepWorkspace(GruConfig config) {
        int h = config.hiddenSize();
        gi = new double[3 * h];
        gh = new double[3 * h];
        r = new double[h];
        z = new double[h];
        n = new double[h];
        ghn = new double[h];
        u = new double[Math.max(1, config.headHidden())];
        s1 = new double[3 * h];
        s2 = new double[3 * h];
        s3 = new double[3 * h];
        hIn = new double[h];
        hOut = new double[h];
    }
}
