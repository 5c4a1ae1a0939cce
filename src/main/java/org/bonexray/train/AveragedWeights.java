package org.bonexray.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bonexray.runtime.ForwardPass;

/**
 * The averaged copy of a network's weights that {@link WeightAveraging} keeps: every parameter, batch-norm running
 * statistics included, in arrays of its own. {@link #swappedIn} lends them to the network for a validation pass
 * or a save and puts the trained weights back, value for value. Exported by parameter name, so that a checkpoint
 * restores it exactly.
 */
final class AveragedWeights implements AutoCloseable {
    /** The name of the array holding the SWA count in an export. */
    private static final String COUNT = "__averaged_models";

    private final WeightAveraging settings;
    private final NDManager manager;
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> average = new ArrayList<>();
    /** SWA: how many epochs' weights the mean holds (0 before the first); EMA: unused. */
    private int averagedModels;

    /** Starts the average at the network's current weights (for SWA, empty until the first epoch it takes). */
    AveragedWeights(WeightAveraging settings, Block net, NDManager parent) {
        this.settings = settings;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : net.getParameters()) {
            names.add(p.getKey());
            parameters.add(p.getValue());
            NDArray copy = p.getValue().getArray().duplicate();
            copy.attach(manager);
            average.add(copy);
        }
    }

    /** The settings. */
    WeightAveraging settings() {
        return settings;
    }

    /** Whether there is an average to validate: always for EMA, after the first averaged epoch for SWA. */
    boolean ready() {
        return !settings.kind().equals("swa") || averagedModels > 0;
    }

    /** After each optimizer step: EMA's {@code avg = decay * avg + (1 - decay) * w}. */
    void afterStep() {
        if (!settings.kind().equals("ema")) {
            return;
        }
        float keep = (float) settings.decay();
        float take = (float) (1 - settings.decay());
        ForwardPass.withoutGradients(() -> {
            for (int i = 0; i < average.size(); i++) {
                try (NDArray taken = parameters.get(i).getArray().mul(take)) {
                    average.get(i).muli(keep).addi(taken);
                }
            }
            return null;
        });
    }

    /** After each epoch: SWA adds the weights to the mean from its start epoch on, {@code avg += (w - avg) / (n + 1)}. */
    void afterEpoch(int epoch) {
        if (!settings.kind().equals("swa") || epoch < settings.startEpoch()) {
            return;
        }
        int n = averagedModels;
        ForwardPass.withoutGradients(() -> {
            for (int i = 0; i < average.size(); i++) {
                NDArray w = parameters.get(i).getArray();
                if (n == 0) {
                    copy(w, average.get(i));
                } else {
                    try (NDArray step = w.sub(average.get(i))) {
                        average.get(i).addi(step.divi(n + 1));
                    }
                }
            }
            return null;
        });
        averagedModels = n + 1;
    }

    /** Runs {@code work} with the averaged weights in the network, then restores the trained ones exactly. */
    <T> T swappedIn(Supplier<T> work) {
        List<NDArray> trained = new ArrayList<>(parameters.size());
        try (NDManager scratch = manager.newSubManager()) {
            ForwardPass.withoutGradients(() -> {
                for (int i = 0; i < parameters.size(); i++) {
                    NDArray w = parameters.get(i).getArray();
                    NDArray saved = w.duplicate();
                    saved.attach(scratch);
                    trained.add(saved);
                    copy(average.get(i), w);
                }
                return null;
            });
            try {
                return work.get();
            } finally {
                ForwardPass.withoutGradients(() -> {
                    for (int i = 0; i < parameters.size(); i++) {
                        copy(trained.get(i), parameters.get(i).getArray());
                    }
                    return null;
                });
            }
        }
    }

    /** The average and the SWA count, named by parameter, for a checkpoint. */
    NDList export(NDManager into) {
        NDList out = new NDList();
        for (int i = 0; i < names.size(); i++) {
            NDArray copy = average.get(i).duplicate();
            copy.attach(into);
            copy.setName(names.get(i));
            out.add(copy);
        }
        NDArray count = into.create(new int[] {averagedModels});
        count.setName(COUNT);
        out.add(count);
        return out;
    }

    /** Restores what {@link #export} wrote, refusing an export of another network. */
    void restore(NDList saved) {
        Map<String, NDArray> byName = new HashMap<>();
        saved.forEach(a -> byName.put(a.getName(), a));
        NDArray count = byName.remove(COUNT);
        if (count == null || byName.size() != names.size() || !byName.keySet().containsAll(names)) {
            throw new IllegalArgumentException("the averaged weights in the checkpoint are not this network's");
        }
        ForwardPass.withoutGradients(() -> {
            for (int i = 0; i < names.size(); i++) {
                copy(byName.get(names.get(i)), average.get(i));
            }
            return null;
        });
        averagedModels = count.toIntArray()[0];
    }

    /** Copies values into an existing array, which keeps its identity (optimizers and kernels hold it). */
    private static void copy(NDArray from, NDArray into) {
        if (!from.getShape().equals(into.getShape())) {
            throw new IllegalArgumentException("shape " + from.getShape() + " does not fit " + into.getShape());
        }
        into.set(from.toByteBuffer());
    }

    @Override
    public void close() {
        manager.close();
    }
}
