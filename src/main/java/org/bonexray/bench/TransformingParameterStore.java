package org.bonexray.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;

/**
 * A parameter store for inference that hands the network transformed copies of its parameters (another
 * precision, channels-last convolution weights), made once per parameter and owned by the store's manager.
 *
 * <p>DJL 0.36's {@code Block.cast} is not implemented and {@code Parameter.setArray} refuses a second array, so
 * this is the one way to run a network in another format without touching the model's classes; the model's
 * own parameters stay fp32 and NCHW.
 */
final class TransformingParameterStore extends ParameterStore {
    private final NDManager manager;
    private final DataType type;
    private final boolean channelsLastWeights;
    private final Map<String, NDArray> copies = new HashMap<>();

    /**
     * @param manager owns the copies; close it to free them
     * @param type the data type of every copy
     * @param channelsLastWeights whether 4-D weights are stored in NHWC memory order
     */
    TransformingParameterStore(NDManager manager, DataType type, boolean channelsLastWeights) {
        super(manager, false);
        this.manager = manager;
        this.type = type;
        this.channelsLastWeights = channelsLastWeights;
    }

    /**
     * Makes every parameter's copy now, outside any {@link ai.djl.ndarray.NDScope}: a copy made lazily inside
     * the network's per-layer scopes would be closed when that scope ends.
     *
     * @param block the network whose parameters to copy
     * @return this store
     */
    TransformingParameterStore prepare(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            getValue(p.getValue(), p.getValue().getArray().getDevice(), false);
        }
        return this;
    }

    @Override
    public synchronized NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        return copies.computeIfAbsent(parameter.getId(), id -> transform(parameter.getArray()));
    }

    private NDArray transform(NDArray original) {
        NDArray array = original;
        if (channelsLastWeights && array.getShape().dimension() == 4) {
            // Reorder the values physically to (O, kh, kw, I), then view them as (O, I, kh, kw).
            Shape s = array.getShape();
            float[] ohwi = array.transpose(0, 2, 3, 1).toFloatArray();
            array = manager.create(ohwi, new Shape(s.get(0), s.get(2), s.get(3), s.get(1))).transpose(0, 3, 1, 2);
        }
        NDArray copy = array.getDataType() == type && array != original ? array : array.toType(type, true);
        copy.attach(manager);
        return copy;
    }
}
