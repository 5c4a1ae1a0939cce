package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Runs a network's forward pass in a {@link Precision}: fp32 as DJL does, or bf16 inside with fp32 in and out.
 * The network, its weights and the caller's arrays are the same either way; only the arithmetic inside differs.
 *
 * <p>The one execution path: training steps (whole network, or segment by segment when recomputing), validation,
 * evaluation, prediction and the service all call it. It hands the network a {@link ForwardContext} carrying the
 * {@link DenseBlockKernel}, so every dense block, and every run of dense layers a recomputing segment holds, runs
 * in one call with the layers' own results; in bf16 it hands a {@link MixedPrecisionStore} as the parameter store.
 * Training steps call it inside a gradient collector, and gradients reach the fp32 weights.
 */
public final class ForwardPass implements AutoCloseable {
    private final Precision precision;
    private final Bfloat16Casts casts;
    private final DenseBlockKernel denseBlocks;
    private final Device device;
    /** The recorded copy of weights to another device, made when a pass first runs on one (data parallel). */
    private TorchScriptModule toDevice;

    private ForwardPass(Precision precision, Bfloat16Casts casts, DenseBlockKernel denseBlocks, Device device) {
        this.precision = precision;
        this.casts = casts;
        this.denseBlocks = denseBlocks;
        this.device = device;
    }

    /** @return a forward pass on the CPU (see {@link #of(Precision, Device)}) */
    public static ForwardPass of(Precision precision) {
        return of(precision, Device.cpu());
    }

    /**
     * @param precision the arithmetic inside the network; {@link Precision#AUTO} is resolved for the device
     * @param device the device of the network's weights and inputs, where the pass's modules are loaded
     * @return a forward pass; close it when done (it holds small TorchScript modules: the dense blocks' kernel,
     *     and in bf16 the two casts)
     */
    public static ForwardPass of(Precision precision, Device device) {
        Precision resolved = precision.resolve(device);
        DenseBlockKernel denseBlocks = DenseBlockKernel.load(device);
        try {
            return new ForwardPass(resolved, resolved == Precision.BF16 ? Bfloat16Casts.load(device) : null, denseBlocks,
                    device);
        } catch (RuntimeException e) {
            denseBlocks.close();
            throw e;
        }
    }

    /** @return how many dense layers this pass has run through the dense-block kernel, over all calls */
    public long denseLayersRunInKernel() {
        return denseBlocks.layersRun();
    }

    /** @return the arithmetic inside the network, resolved (never {@link Precision#AUTO}) */
    public Precision precision() {
        return precision;
    }

    /**
     * @param net the network
     * @param inputs fp32 inputs; their manager owns every intermediate this pass leaves
     * @param training training mode (batch statistics, dropout, autograd)
     * @return the network's outputs in fp32
     */
    public NDList forward(Block net, NDList inputs, boolean training) {
        PairList<String, Object> params = new ForwardContext(denseBlocks, false).asParams();
        if (training) {
            return run(inputs, true, (ps, in) -> net.forward(ps, in, true, params));
        }
        return withoutGradients(() -> run(inputs, false, (ps, in) -> net.forward(ps, in, false, params)));
    }

    /**
     * Runs one segment of a network in training mode, leaving autograd's mode to the caller (a recomputing step
     * runs segments once without recording, then again with it).
     *
     * @param segment the segment (a {@code model.NetworkSegment})
     * @param inputs its fp32 input; its manager owns what the pass leaves
     * @param recomputing whether this repeats the segment's pass on the same input (running statistics stay)
     * @return the segment's output in fp32
     */
    public NDList forwardTraining(Block segment, NDList inputs, boolean recomputing) {
        PairList<String, Object> params = new ForwardContext(denseBlocks, recomputing).asParams();
        return run(inputs, true, (ps, in) -> segment.forward(ps, in, true, params));
    }

    /**
     * Runs inference work with autograd off on the calling thread, as {@code torch.no_grad()}.
     *
     * <p>libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread that started the
     * engine. Inference on any other thread (the web service's request threads) would otherwise record an autograd
     * graph through weights that take gradients, keeping every intermediate alive, or fail outright.
     *
     * @param work the work; a gradient collector opened inside it turns recording on for itself
     * @return what the work returns
     */
    public static <T> T withoutGradients(Supplier<T> work) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    private NDList run(NDList inputs, boolean training, BiFunction<ParameterStore, NDList, NDList> network) {
        NDArray input = inputs.singletonOrThrow();
        TorchScriptModule copy = input.getDevice().equals(device) ? null : copyModule();
        if (casts == null) {
            return network.apply(new DeviceStore(input.getManager(), copy), inputs);
        }
        NDArray lowered = casts.toBfloat16(input, training);
        NDList outputs = network.apply(new MixedPrecisionStore(input.getManager(), casts, copy), new NDList(lowered));
        NDList fp32 = new NDList(outputs.size());
        for (NDArray output : outputs) {
            fp32.add(casts.toFloat32(output, training));
        }
        return fp32;
    }

    private synchronized TorchScriptModule copyModule() {
        if (toDevice == null) {
            toDevice = DeviceStore.compileCopy(device);
        }
        return toDevice;
    }

    /** @return the device of the weights, where this pass's modules live */
    public Device device() {
        return device;
    }

    @Override
    public synchronized void close() {
        try (denseBlocks) {
            if (casts != null) {
                casts.close();
            }
        } finally {
            if (toDevice != null) {
                toDevice.close();
            }
        }
    }
}
