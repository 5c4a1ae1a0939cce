package org.bonexray.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.model.weights.format.StateDict;

/**
 * Loads a torchvision-named weight file (safetensors, npz or a PyTorch checkpoint) into a DJL block's parameters,
 * by key.
 *
 * <p>Every tensor's shape is checked before anything is copied, so a failed import leaves the block as it
 * was. Strict imports (the default) also fail when the block has keys the file lacks or the file has keys
 * the block lacks; non-strict ones load what matches and report the rest. BatchNorm running statistics
 * are parameters in DJL and load like the others; {@code num_batches_tracked} is ignored, and legacy
 * dense-layer keys are modernised first ({@link TorchvisionNames#modernize}). Values are copied into the
 * existing parameter arrays, which keep their manager and gradient attachment; the decoded file is closed.
 */
public final class WeightsImporter {
    private final boolean strict;
    private final List<String> expectedPrefixes;
    private final List<String> skippedPrefixes;

    private WeightsImporter(boolean strict, List<String> expectedPrefixes, List<String> skippedPrefixes) {
        this.strict = strict;
        this.expectedPrefixes = List.copyOf(expectedPrefixes);
        this.skippedPrefixes = List.copyOf(skippedPrefixes);
    }

    /** Strict import of a whole network (for example torchvision's classifier with its {@code classifier}). */
    public static WeightsImporter full() {
        return new WeightsImporter(true, List.of(), List.of());
    }

    /**
     * Strict import of the DenseNet backbone only: the block's {@code features.*} keys must all be in the
     * file, the file's {@code classifier.*} keys (ImageNet's 1000 classes) are skipped, and the block's
     * other parameters (the MURA head) keep their initialisation.
     */
    public static WeightsImporter backbone() {
        return new WeightsImporter(true, List.of("features."), List.of("classifier."));
    }

    /** This import, reporting missing and unexpected keys instead of failing on them. */
    public WeightsImporter nonStrict() {
        return new WeightsImporter(false, expectedPrefixes, skippedPrefixes);
    }

    public boolean strict() {
        return strict;
    }

    /**
     * Loads a weight file of any format {@link WeightsFiles} reads (safetensors, npz, PyTorch checkpoints) into
     * {@code block}, whose parameters must be initialised, after mapping its keys to torchvision's
     * ({@link KeyMapping}); the report's notes say how the keys were found and mapped.
     *
     * @throws DataException when the file cannot be read or decoded, or its pickle is refused
     * @throws WeightsException when shapes differ, or (strict) keys are missing or unexpected
     */
    public ImportReport load(Block block, Path file) {
        return load(block, file, KeyMapping.toTorchvision(WeightsFiles.read(file)));
    }

    /** Loads tensors already read from {@code file} (named in errors) into {@code block}. */
    public ImportReport load(Block block, Path file, StateDict weights) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList arrays = new NDList(weights.tensors().size());
            weights.tensors().values().forEach(t -> arrays.add(t.toNDArray(manager)));
            return load(block, arrays).withNotes(weights.notes());
        } catch (WeightsException e) {
            throw new WeightsException(file + ": " + e.getMessage(), e);
        }
    }

    /** Loads named arrays (names are torchvision keys) into {@code block}; the arrays stay the caller's. */
    public ImportReport load(Block block, NDList arrays) {
        Map<String, Parameter> expected = new LinkedHashMap<>();
        TorchvisionNames.parametersByKey(block).forEach((key, parameter) -> {
            if (expectedPrefixes.isEmpty() || expectedPrefixes.stream().anyMatch(key::startsWith)) {
                expected.put(key, parameter);
            }
        });
        List<String> skipped = new ArrayList<>();
        Map<String, NDArray> available = byKey(arrays, skipped);
        List<String> missing = new ArrayList<>(expected.keySet());
        missing.removeAll(available.keySet());
        List<String> unexpected = new ArrayList<>(available.keySet());
        unexpected.removeAll(expected.keySet());
        List<String> loaded = new ArrayList<>(expected.keySet());
        loaded.retainAll(available.keySet());

        checkShapes(loaded, expected, available);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new WeightsException("the weights do not fit the model: missing " + missing.size() + " keys "
                    + ImportReport.abbreviate(missing) + ", unexpected " + unexpected.size() + " keys "
                    + ImportReport.abbreviate(unexpected) + " (a non-strict import loads the keys that match)");
        }
        for (String key : loaded) {
            copy(available.get(key), expected.get(key).getArray());
        }
        return new ImportReport(loaded, missing, unexpected, skipped, List.of());
    }

    private Map<String, NDArray> byKey(NDList arrays, List<String> skipped) {
        Map<String, NDArray> byKey = new LinkedHashMap<>();
        for (NDArray array : arrays) {
            if (array.getName() == null) {
                throw new WeightsException("the weights file has an unnamed tensor; torchvision state-dict keys are needed");
            }
            String key = TorchvisionNames.modernize(array.getName());
            if (TorchvisionNames.isIgnored(key) || skippedPrefixes.stream().anyMatch(key::startsWith)) {
                skipped.add(key);
            } else if (byKey.put(key, array) != null) {
                throw new WeightsException("the weights file has the key '" + key + "' twice (legacy and modern names?)");
            }
        }
        return byKey;
    }

    private static void checkShapes(List<String> keys, Map<String, Parameter> expected, Map<String, NDArray> available) {
        List<String> wrong = new ArrayList<>();
        for (String key : keys) {
            Parameter parameter = expected.get(key);
            if (!parameter.isInitialized()) {
                throw new WeightsException("parameter " + key + " is not initialised; initialise the block before"
                        + " loading weights into it");
            }
            NDArray target = parameter.getArray();
            NDArray source = available.get(key);
            if (!target.getShape().equals(source.getShape())) {
                wrong.add(key + ": model expects " + target.getShape() + ", file has " + source.getShape());
            }
        }
        if (!wrong.isEmpty()) {
            throw new WeightsException("shape mismatch for " + wrong.size() + " tensors: "
                    + ImportReport.abbreviate(wrong));
        }
    }

    /** Copies in place so that the parameter keeps its array, manager and gradient. */
    private static void copy(NDArray source, NDArray target) {
        if (source.getDataType() == target.getDataType()) {
            target.set(source.toByteBuffer());
            return;
        }
        try (NDArray converted = source.toType(target.getDataType(), true)) {
            target.set(converted.toByteBuffer());
        }
    }
}
