package org.bonexray.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.runtime.DenseBlockKernel;
import org.bonexray.runtime.ForwardContext;

/**
 * Consecutive dense layers run as one: a whole {@link DenseBlock}, or the part of one that a recomputing segment
 * holds ({@link DenseBlock#range}). This is where a dense layer's execution is decided: when the forward context
 * carries a {@link DenseBlockKernel} (every {@code runtime.ForwardPass}), the run is one kernel call over the
 * layers' weights as the parameter store hands them; otherwise (heatmaps reading inside the network, tests of the
 * DJL layers) each {@link DenseLayer} runs its DJL operations. Both give the same arithmetic, bit for bit.
 */
public class DenseLayerRun extends NamedSequentialBlock {
    private final List<DenseLayer> layers = new ArrayList<>();
    /** The layers' parameters in DJL's order, collected once: {@code getParameters()} rebuilds names per call. */
    private final List<Parameter> parameters = new ArrayList<>();

    DenseLayerRun() {
        super(true);
    }

    /** Appends a layer under its torchvision name. */
    final void addLayer(String name, DenseLayer layer) {
        add(name, layer);
        layers.add(layer);
        parameters.addAll(layer.getParameters().values());
    }

    /** @return the dense layers, in order */
    public final List<DenseLayer> denseLayers() {
        return List.copyOf(layers);
    }

    @Override
    protected final NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        ForwardContext context = ForwardContext.of(params);
        if (context.denseBlocks() == null) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        List<NDArray> arrays = new ArrayList<>(parameters.size());
        for (Parameter parameter : parameters) {
            arrays.add(parameterStore.getValue(parameter, device, training));
        }
        // Read at every call, as BatchNormBlock does: freezing may change between calls.
        boolean[] batchStatistics = new boolean[2 * layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            batchStatistics[2 * i] = training && !layers.get(i).norm1().isFrozen();
            batchStatistics[2 * i + 1] = training && !layers.get(i).norm2().isFrozen();
        }
        double momentum = context.recomputing() ? 0 : BatchNormBlock.TORCH_MOMENTUM;
        return new NDList(context.denseBlocks().forward(input, arrays, batchStatistics, momentum,
                BatchNormBlock.EPSILON, training));
    }
}
