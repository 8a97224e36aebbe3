package io.streamgru.model.gru;

/**
 * Scratch memory for {@link GruModel#step}: allocate one per thread and reuse it, so a forward
 * step allocates nothing.
 */
public final class StepWorkspace {

    final double[] gi;
    final double[] gh;
    final double[] r;
    final double[] z;
    final double[] n;
    final double[] ghn;
    final double[] u;

    public StepWorkspace(GruConfig config) {
        int h = config.hiddenSize();
        gi = new double[3 * h];
        gh = new double[3 * h];
        r = new double[h];
        z = new double[h];
        n = new double[h];
        ghn = new double[h];
        u = new double[Math.max(1, config.headHidden())];
    }
}
