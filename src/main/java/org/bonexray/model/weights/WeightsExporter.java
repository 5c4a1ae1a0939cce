package org.bonexray.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.bonexray.io.AtomicFiles;

/**
 * Writes a block's weights as a safetensors file under torchvision's state-dict keys.
 *
 * <p>For bonexray's {@code AbnormalityNet} the backbone comes out as {@code features.*}, exactly
 * torchvision's DenseNet keys, and the MURA head under {@code head.*}: {@code head.fcN.weight/bias} for
 * hidden Linear layers, {@code head.bnN.weight/bias/running_mean/running_var} for their BatchNorm, and
 * {@code head.out.weight/bias} for the final one-logit Linear. PyTorch therefore loads the backbone with
 * {@code torchvision.models.densenet169().load_state_dict(state, strict=False)} (the head keys are then
 * reported as unexpected, and {@code classifier.*} as missing). {@code num_batches_tracked} is not written.
 * The file is written atomically.
 */
public final class WeightsExporter {
    private WeightsExporter() {
    }

    /**
     * Writes every initialised parameter of {@code block} to {@code target}.
     *
     * @return the keys written, in the block's order
     */
    public static List<String> export(Block block, Path target) {
        return export(block, target, UnaryOperator.identity());
    }

    /**
     * Writes every initialised parameter of {@code block} to {@code target}, each under {@code rename} of its
     * torchvision key.
     *
     * @return the keys written, in the block's order
     */
    public static List<String> export(Block block, Path target, UnaryOperator<String> rename) {
        Map<String, Parameter> parameters = TorchvisionNames.parametersByKey(block);
        List<String> keys = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = new NDList(parameters.size());
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                if (!entry.getValue().isInitialized()) {
                    throw new WeightsException("parameter " + entry.getKey() + " is not initialised; nothing to export");
                }
                NDArray source = entry.getValue().getArray();
                // A copy carries the key as its name, leaving the parameter's own array untouched.
                NDArray copy = manager.create(source.toByteBuffer(), source.getShape(), source.getDataType());
                String key = rename.apply(entry.getKey());
                copy.setName(key);
                list.add(copy);
                keys.add(key);
            }
            AtomicFiles.write(target, out -> list.encode(out, NDList.Encoding.SAFETENSORS));
        }
        return keys;
    }
}
