package org.bonexray.runtime;

import ai.djl.util.PairList;
import java.util.List;

/**
 * What a forward pass tells the blocks it runs, typed: the dense-block kernel to run dense layers with (null: run
 * the DJL layers one operation at a time) and whether the pass repeats one already run on the same input (a
 * recomputing training step; batch norms then leave their running statistics alone).
 *
 * <p>DJL's {@code Block.forward} carries extra arguments only as a {@code PairList<String, Object>}; the context
 * travels there under one key, and only {@link ForwardPass} makes one. A forward without it (heatmaps, which read
 * inside the network, and tests of single blocks) is the plain DJL pass.
 *
 * @param denseBlocks the kernel dense layers run in, or null
 * @param recomputing whether this pass repeats one already run on the same input
 */
public record ForwardContext(DenseBlockKernel denseBlocks, boolean recomputing) {
    /** The plain pass: DJL's layers, running statistics updated in training. */
    public static final ForwardContext PLAIN = new ForwardContext(null, false);
    private static final String KEY = "bonexray.forward";

    /**
     * @param params a forward call's extra arguments, or null
     * @return the context they carry, or {@link #PLAIN}
     */
    public static ForwardContext of(PairList<String, Object> params) {
        Object context = params == null ? null : params.get(KEY);
        return context instanceof ForwardContext c ? c : PLAIN;
    }

    /** @return the extra arguments of a forward call that carry this context */
    public PairList<String, Object> asParams() {
        return new PairList<>(List.of(KEY), List.of(this));
    }
}
