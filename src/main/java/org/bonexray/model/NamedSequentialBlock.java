package org.bonexray.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bonexray.runtime.Scoped;

/**
 * A chain of blocks whose children carry names, so parameters are named like torchvision's state-dict keys.
 *
 * <p>DJL's {@code SequentialBlock} names children by index only. Here DJL prefixes each given name with the
 * child's two-digit position ({@code 01conv0}), and parameter names join the path with underscores, e.g.
 * {@code 01features_05denseblock1_01denselayer1_01norm1_gamma}; {@link org.bonexray.model.weights.TorchvisionNames} turns that back
 * into {@code features.denseblock1.denselayer1.norm1.weight}.
 */
public class NamedSequentialBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final boolean scoped;

    /** An empty chain; add children with {@link #add(String, Block)}. */
    public NamedSequentialBlock() {
        this(false);
    }

    /**
     * An empty chain that may release its intermediates as soon as its output exists.
     *
     * @param scoped whether each forward pass runs in its own {@code NDScope}, keeping only the output
     *     (which must be a single array); see {@link Scoped}
     */
    public NamedSequentialBlock(boolean scoped) {
        super(VERSION);
        this.scoped = scoped;
    }

    /**
     * Appends a named child.
     *
     * @param name the torchvision child name, e.g. {@code conv0}
     * @param block the child
     * @return this block, for chaining
     */
    public NamedSequentialBlock add(String name, Block block) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(block, "block");
        if (child(name).isPresent()) {
            throw new IllegalArgumentException("duplicate child name: " + name);
        }
        addChildBlock(name, block);
        return this;
    }

    /**
     * The child with the given torchvision name (without DJL's numeric prefix).
     *
     * @param name e.g. {@code denseblock4}
     * @return the child, if present
     */
    public Optional<Block> child(String name) {
        for (Pair<String, Block> pair : children) {
            if (ParameterNames.stripPrefix(pair.getKey()).equals(name)) {
                return Optional.of(pair.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a contiguous run of children, from {@code from} to {@code to} (both inclusive, by torchvision
     * name), so that a caller can stop at an inner layer and continue from it later (Grad-CAM on an inner
     * dense block). Intermediates of the span are not scoped here; each child scopes its own.
     *
     * @param parameterStore parameter store
     * @param inputs the inputs of {@code from}
     * @param training training mode
     * @param from the first child to run, or null for the first child
     * @param to the last child to run, or null for the last child
     * @return the outputs of {@code to}
     * @throws IllegalArgumentException when a name is not a child, or {@code to} comes before {@code from}
     */
    public NDList forwardSpan(ParameterStore parameterStore, NDList inputs, boolean training, String from, String to) {
        List<Block> blocks = children.values();
        int first = from == null ? 0 : indexOf(from);
        int last = to == null ? blocks.size() - 1 : indexOf(to);
        if (last < first) {
            throw new IllegalArgumentException("'" + to + "' comes before '" + from + "'");
        }
        NDList current = inputs;
        for (int i = first; i <= last; i++) {
            current = blocks.get(i).forward(parameterStore, current, training, null);
        }
        return current;
    }

    /**
     * The torchvision names of the children, in order.
     *
     * @return the names
     */
    public List<String> childNames() {
        return children.keys().stream().map(ParameterNames::stripPrefix).toList();
    }

    private int indexOf(String name) {
        int i = childNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no layer '" + name + "'; there are " + childNames());
        }
        return i;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (scoped) {
            return Scoped.keepOnly(() -> chain(parameterStore, inputs, training, params).singletonOrThrow());
        }
        return chain(parameterStore, inputs, training, params);
    }

    /**
     * Runs the children in order, without any scoping.
     *
     * @param parameterStore parameter store
     * @param inputs the first child's inputs
     * @param training training mode
     * @param params extra parameters
     * @return the last child's outputs
     */
    protected final NDList chain(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList current = inputs;
        for (Block block : children.values()) {
            current = block.forward(parameterStore, current, training, params);
        }
        return current;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] current = inputShapes;
        for (Block block : children.values()) {
            current = block.getOutputShapes(current);
        }
        return current;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] current = inputShapes;
        for (Block block : children.values()) {
            block.initialize(manager, dataType, current);
            current = block.getOutputShapes(current);
        }
    }
}
