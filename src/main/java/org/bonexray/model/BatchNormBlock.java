package org.bonexray.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import org.bonexray.runtime.ForwardContext;

/**
 * Batch normalisation over axis 1 with torchvision's settings, that stays in inference mode while frozen.
 *
 * <p>DJL's own {@code BatchNorm} cannot be subclassed (package-private constructor) and would update its
 * running statistics whenever the network is trained, even with frozen parameters. This block has the
 * same parameter names (gamma, beta, runningMean, runningVar), epsilon 1e-5 and momentum 0.9 (torch's
 * 0.1), and normalises with its running statistics, leaving them untouched, whenever its gamma does not
 * require a gradient. Works for (N,C,H,W) and (N,C) inputs. When a forward pass is recomputed during backward
 * ({@link ForwardContext#recomputing()}) it uses the batch's statistics again but does not update the running ones
 * a second time.
 */
public final class BatchNormBlock extends AbstractBlock {
    /** torchvision's BatchNorm epsilon. */
    public static final float EPSILON = 1e-5f;
    /** DJL's momentum convention: new = momentum * old + (1 - momentum) * batch; torch's 0.1. */
    public static final float MOMENTUM = 0.9f;
    /** The same momentum as libtorch takes it ({@code 1 - MOMENTUM}, computed in float as DJL hands it over). */
    public static final double TORCH_MOMENTUM = 1f - MOMENTUM;
    private static final byte VERSION = 1;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /**
     * A batch norm over the given number of channels.
     *
     * @param channels the size of axis 1
     */
    public BatchNormBlock(int channels) {
        super(VERSION);
        if (channels <= 0) {
            throw new IllegalArgumentException("channels must be positive: " + channels);
        }
        this.channels = channels;
        gamma = addParameter(parameter("gamma", Parameter.Type.GAMMA, Initializer.ONES, true));
        beta = addParameter(parameter("beta", Parameter.Type.BETA, Initializer.ZEROS, true));
        runningMean = addParameter(parameter("runningMean", Parameter.Type.RUNNING_MEAN, Initializer.ZEROS, false));
        runningVar = addParameter(parameter("runningVar", Parameter.Type.RUNNING_VAR, Initializer.ONES, false));
    }

    private Parameter parameter(String name, Parameter.Type type, Initializer init, boolean grad) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(new Shape(channels))
                .optInitializer(init)
                .optRequiresGrad(grad)
                .build();
    }

    /** @return the number of channels normalised */
    public int channels() {
        return channels;
    }

    /** @return true when gamma is frozen, so the block always normalises with its running statistics */
    public boolean isFrozen() {
        return !gamma.requiresGradient();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        boolean batchStatistics = training && !isFrozen();
        // Momentum 1 keeps the running statistics exactly (libtorch: 0 * batch + 1 * running).
        float momentum = ForwardContext.of(params).recomputing() ? 1f : MOMENTUM;
        return BatchNorm.batchNorm(
                input,
                ps.getValue(runningMean, device, training),
                ps.getValue(runningVar, device, training),
                ps.getValue(gamma, device, training),
                ps.getValue(beta, device, training),
                1,
                momentum,
                EPSILON,
                batchStatistics);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        if (inputShapes[0].get(1) != channels) {
            throw new IllegalArgumentException(
                    "expected " + channels + " channels on axis 1, got shape " + inputShapes[0]);
        }
    }
}
