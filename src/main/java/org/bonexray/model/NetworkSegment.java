package org.bonexray.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.List;

/**
 * A contiguous run of a network's blocks that one array enters and one array leaves, so its forward pass can be
 * run again during backward instead of keeping its intermediates (see {@code train.TrainingStep}). Dense layers of
 * one block inside a segment form one {@link DenseLayerRun}, so a recomputing step runs them through the
 * dense-block kernel like any other pass. Scoped: only the output stays open, autograd keeps what it needs.
 */
public final class NetworkSegment extends NamedSequentialBlock {
    private final String name;
    private final List<Block> blocks;

    /**
     * @param name for messages, e.g. {@code conv0..denseblock1.denselayer3}
     * @param blocks the blocks with their names, in order
     */
    NetworkSegment(String name, List<Pair<String, Block>> blocks) {
        super(true);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a segment needs at least one block");
        }
        this.name = name;
        for (Pair<String, Block> block : blocks) {
            add(block.getKey(), block.getValue());
        }
        this.blocks = blocks.stream().map(Pair::getValue).toList();
    }

    /** @return the segment's name, for messages */
    public String name() {
        return name;
    }

    /** @return the blocks, in order (a {@link DenseLayerRun} for each run of dense layers) */
    public List<Block> blocks() {
        return blocks;
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

    @Override
    public String toString() {
        return name;
    }
}
