package org.bonexray.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A contiguous run of a network's blocks that one array enters and one array leaves, so its forward pass can be
 * run again during backward instead of keeping its intermediates (see {@code train.TrainingStep}).
 *
 * @param name for messages, e.g. {@code conv0..denseblock1}
 * @param blocks the blocks, in order
 */
public record NetworkSegment(String name, List<Block> blocks) {
    /**
     * The key of the forward parameter that marks a recomputation: batch norms then normalise with the batch's
     * statistics as usual but leave their running statistics alone, as the first pass already updated them.
     */
    public static final String RECOMPUTING = "bonexray.recomputing";

    public NetworkSegment {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a segment needs at least one block");
        }
        blocks = List.copyOf(blocks);
    }

    /**
     * Runs the blocks, keeping only the output (every intermediate is closed, autograd keeps what it needs).
     *
     * @param ps parameter store
     * @param inputs the single input
     * @param training training mode
     * @param params handed to every block ({@link #RECOMPUTING}, a {@link DenseBlockKernel}), or null
     * @return the single output, attached to the enclosing scope or the input's manager
     */
    public NDList forward(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return Scoped.keepOnly(() -> {
            NDList current = inputs;
            for (Block block : blocks) {
                current = block.forward(ps, current, training, params);
            }
            return current.singletonOrThrow();
        });
    }

    /** @return whether any parameter of the segment takes a gradient (is trained) */
    public boolean trains() {
        for (Block block : blocks) {
            for (Pair<String, Parameter> parameter : block.getParameters()) {
                if (parameter.getValue().requiresGradient()) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isRecomputing(PairList<String, Object> params) {
        return params != null && params.contains(RECOMPUTING);
    }
}
