package org.bonexray.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A DJL optimizer that follows PyTorch's {@code torch.optim} update rules and whose whole state (per-parameter
 * slot arrays and update counts) can be exported to an {@link NDList} and imported again, so that a run
 * resumed after a crash continues bit for bit as an uninterrupted one.
 *
 * <p>State arrays live in a manager this optimizer owns; {@link #close()} frees them. Temporaries of an update
 * are closed at its end. DJL's {@code setRescaleGrad} (gradient multiplied first) and {@code optClipGrad}
 * (element-wise clip to [-c, c] after rescaling, as DJL's own optimizers do) are honoured; DJL's
 * {@code optWeightDecays} is refused in favour of {@link Builder#optWeightDecay(double)}, which follows
 * PyTorch's placement for each optimizer; {@code optBeginNumUpdate} is ignored (counts start at 0 and are
 * part of the exported state). As DJL's PyTorch optimizers, an update zeroes the weight's gradient afterwards,
 * which DJL's training loop relies on. State is kept on the weights' device.
 *
 * <p>Exported arrays are named {@code KEY/SLOT} where KEY is the parameter id (or, with the {@link Block}
 * overloads, the parameter's structural name, which unlike DJL's random ids is the same in a fresh JVM)
 * and SLOT is PyTorch's state name ({@code exp_avg}, {@code momentum_buffer}, ...) or {@code step}, a
 * one-element int64 array holding the parameter's update count.
 */
public abstract class StatefulOptimizer extends Optimizer implements AutoCloseable {
    /** Slot name of the per-parameter update count in exported state. */
    public static final String STEP_SLOT = "step";
    private static final char SEPARATOR = '/';

    private final Tracker learningRate;
    private final double weightDecay;
    private final Map<String, Map<String, NDArray>> slots = new LinkedHashMap<>();
    private final Map<String, Long> steps = new HashMap<>();
    private NDManager stateManager;
    private boolean closed;

    /** Builds the optimizer from a builder whose learning rate has been set. */
    protected StatefulOptimizer(Builder<?> builder) {
        super(builder);
        if (getWeightDecay() != 0f) {
            throw new IllegalArgumentException(
                    "DJL's optWeightDecays is not supported; use optWeightDecay, which follows PyTorch");
        }
        this.learningRate = Objects.requireNonNull(builder.learningRate, "learning rate tracker not set");
        this.weightDecay = builder.weightDecay;
    }

    /** The weight-decay coefficient (L2 or decoupled, depending on the optimizer). */
    public double weightDecay() {
        return weightDecay;
    }

    /** The number of updates applied so far to a parameter (0 if never updated). */
    public synchronized long steps(String parameterId) {
        return steps.getOrDefault(parameterId, 0L);
    }

    /** The slot names this optimizer keeps per parameter, as PyTorch names them. */
    protected abstract Set<String> slotNames();

    /**
     * Applies one update in place.
     *
     * @param parameterId the parameter's id, the key of its state
     * @param step the 1-based update count of this parameter, including this update
     * @param lr the learning rate for this update
     * @param weight the weight, changed in place
     * @param grad the gradient after DJL's rescaling and clipping; must not be changed
     */
    protected abstract void apply(String parameterId, long step, double lr, NDArray weight, NDArray grad);

    @Override
    public final synchronized void update(String parameterId, NDArray weight, NDArray grad) {
        ensureOpen();
        Update u = next(parameterId, weight, grad);
        applyOne(u);
        steps.put(parameterId, u.step());
    }

    /**
     * One training step: updates every parameter that takes a gradient and has one, then zeroes the gradients.
     * This is DJL's {@code Trainer.step()} for one device without its one-parameter-at-a-time dispatch, so that an
     * optimizer can update all weights in one native call ({@link Adam} does); the result is that of
     * {@link #update} on each parameter in turn (to float rounding where the native kernel orders its arithmetic
     * otherwise).
     *
     * @param parameters the network's parameters (frozen ones and ones without a gradient are skipped)
     */
    public final synchronized void step(Iterable<Parameter> parameters) {
        ensureOpen();
        List<Update> updates = new ArrayList<>();
        try {
            for (Parameter parameter : parameters) {
                if (parameter.requiresGradient() && parameter.isInitialized() && parameter.getArray().hasGradient()) {
                    NDArray weight = parameter.getArray();
                    updates.add(next(parameter.getId(), weight, weight.getGradient()));
                }
            }
            if (rescaleGrad != 1f || clipGrad > 0f) {
                updates.forEach(this::applyOne);
            } else {
                applyAll(updates);
            }
            updates.forEach(u -> steps.put(u.parameterId(), u.step()));
        } finally {
            updates.forEach(u -> u.grad().close()); // the handles DJL made for this step; the gradients stay
        }
    }

    /**
     * Applies a step to several parameters and zeroes their gradients; the gradients need no rescaling or
     * clipping. By default one {@link #apply} per parameter; an optimizer may do them all at once.
     *
     * @param updates the parameters, in the network's order, each with its step number and learning rate
     */
    protected void applyAll(List<Update> updates) {
        updates.forEach(this::applyOne);
    }

    private void applyOne(Update u) {
        // The scope closes every temporary of this update; slots are unregistered when made.
        NDScope scope = new NDScope();
        try {
            apply(u.parameterId(), u.step(), u.lr(), u.weight(), preprocess(u.grad()));
            clearGradient(u.weight());
        } finally {
            scope.close();
        }
    }

    private Update next(String parameterId, NDArray weight, NDArray grad) {
        long step = steps(parameterId) + 1;
        return new Update(parameterId, weight, grad, step, rate(parameterId, step));
    }

    /**
     * One parameter's share of a step.
     *
     * @param parameterId the parameter's id, the key of its state
     * @param weight the weight, changed in place
     * @param grad its gradient
     * @param step the 1-based update count of this parameter, including this update
     * @param lr the learning rate of this update
     */
    protected record Update(String parameterId, NDArray weight, NDArray grad, long step, double lr) {
    }

    /**
     * Zeroes the weight's accumulated gradient, as DJL's PyTorch optimizers do after an update: DJL's
     * gradient collector never zeroes gradients itself, so without this every step would add up all past ones.
     * libtorch's {@code zero_} on the gradient in place, one native call: DJL's {@code set(new NDIndex("..."), 0)}
     * goes through an indexed fill and a new handle per weight, measurably slower (docs/PERFORMANCE_LOG.md).
     */
    private static void clearGradient(NDArray weight) {
        if (weight.hasGradient()) {
            JniUtils.zeroGrad((PtNDArray) weight);
        }
    }

    private double rate(String parameterId, long step) {
        if (learningRate instanceof LearningRateSchedule schedule) {
            return schedule.currentRate();
        }
        return learningRate.getNewValue(parameterId, (int) Math.min(step, Integer.MAX_VALUE));
    }

    private NDArray preprocess(NDArray grad) {
        NDArray g = grad;
        if (rescaleGrad != 1f) {
            g = g.mul(rescaleGrad);
        }
        if (clipGrad > 0f) {
            g = g.clip(-clipGrad, clipGrad);
        }
        return g;
    }

    /** A float32 scalar as PyTorch casts a Python float for a float tensor. */
    protected static float f(double value) {
        return (float) value;
    }

    /** The named slot of a parameter, or null when it does not exist yet. */
    protected NDArray slotOrNull(String parameterId, String name) {
        Map<String, NDArray> forParam = slots.get(parameterId);
        return forParam == null ? null : forParam.get(name);
    }

    /** The named slot of a parameter, created as zeros shaped like the weight when missing. */
    protected NDArray zeroSlot(String parameterId, String name, NDArray weight) {
        NDArray slot = slotOrNull(parameterId, name);
        if (slot == null) {
            slot = manager().zeros(weight.getShape(), weight.getDataType(), weight.getDevice());
            store(parameterId, name, slot);
        }
        return slot;
    }

    /** Creates the named slot of a parameter as a copy of {@code source}, replacing any previous one. */
    protected NDArray copySlot(String parameterId, String name, NDArray source) {
        NDArray slot = source.duplicate();
        slot.attach(manager());
        store(parameterId, name, slot);
        return slot;
    }

    private void store(String parameterId, String name, NDArray slot) {
        NDScope.unregister(slot);
        NDArray old = slots.computeIfAbsent(parameterId, k -> new TreeMap<>()).put(name, slot);
        if (old != null && old != slot) {
            old.close();
        }
    }

    private NDManager manager() {
        if (stateManager == null) {
            stateManager = NDManager.newBaseManager();
        }
        return stateManager;
    }

    /** Exports the state keyed by parameter id; the copies belong to {@code manager}. */
    public NDList exportState(NDManager manager) {
        return exportState(manager, Function.identity());
    }

    /** Exports the state keyed by the parameters' structural names in {@code block}. */
    public NDList exportState(NDManager manager, Block block) {
        Map<String, String> nameOfId = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            nameOfId.put(p.getValue().getId(), p.getKey());
        }
        return exportState(manager, id -> {
            String name = nameOfId.get(id);
            if (name == null) {
                throw new IllegalStateException("optimizer holds state for parameter " + id + " not in the block");
            }
            return name;
        });
    }

    private synchronized NDList exportState(NDManager manager, Function<String, String> keyOf) {
        ensureOpen();
        NDList out = new NDList();
        for (String id : new TreeSet<>(steps.keySet())) {
            String key = keyOf.apply(id);
            NDArray count = manager.create(new long[] {steps.get(id)});
            count.setName(key + SEPARATOR + STEP_SLOT);
            out.add(count);
            for (Map.Entry<String, NDArray> e : slots.getOrDefault(id, Map.of()).entrySet()) {
                NDArray copy = e.getValue().duplicate();
                copy.attach(manager);
                copy.setName(key + SEPARATOR + e.getKey());
                out.add(copy);
            }
        }
        return out;
    }

    /** Replaces the whole state with an exported one keyed by parameter id (arrays are copied). */
    public void importState(NDList state) {
        importState(state, Function.identity());
    }

    /** Replaces the whole state with one exported by {@link #exportState(NDManager, Block)}. */
    public void importState(NDList state, Block block) {
        Map<String, String> idOfName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            idOfName.put(p.getKey(), p.getValue().getId());
        }
        importState(state, name -> {
            String id = idOfName.get(name);
            if (id == null) {
                throw new IllegalArgumentException("optimizer state names parameter " + name + " not in the block");
            }
            return id;
        });
    }

    private synchronized void importState(NDList state, Function<String, String> idOf) {
        ensureOpen();
        Map<String, Long> newSteps = new HashMap<>();
        for (NDArray a : state) {
            Pair<String, String> keySlot = split(a);
            if (STEP_SLOT.equals(keySlot.getValue())) {
                newSteps.put(idOf.apply(keySlot.getKey()), a.toLongArray()[0]);
            } else if (!slotNames().contains(keySlot.getValue())) {
                throw new IllegalArgumentException("state slot '" + keySlot.getValue() + "' is not one of "
                        + slotNames() + " of " + getClass().getSimpleName());
            }
        }
        clearState();
        steps.putAll(newSteps);
        for (NDArray a : state) {
            Pair<String, String> keySlot = split(a);
            if (!STEP_SLOT.equals(keySlot.getValue())) {
                String id = idOf.apply(keySlot.getKey());
                if (!steps.containsKey(id)) {
                    throw new IllegalArgumentException("state of " + keySlot.getKey() + " has no step count");
                }
                copySlot(id, keySlot.getValue(), a);
            }
        }
    }

    private static Pair<String, String> split(NDArray a) {
        String name = a.getName();
        int cut = name == null ? -1 : name.lastIndexOf(SEPARATOR);
        if (cut <= 0 || cut == name.length() - 1) {
            throw new IllegalArgumentException("optimizer state array has no KEY/SLOT name: " + name);
        }
        return new Pair<>(name.substring(0, cut), name.substring(cut + 1));
    }

    private void clearState() {
        slots.values().forEach(m -> m.values().forEach(NDArray::close));
        slots.clear();
        steps.clear();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is closed");
        }
    }

    /** Frees every state array; the optimizer cannot be used afterwards. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            clearState();
            if (stateManager != null) {
                stateManager.close();
            }
        }
    }

    /** Builder shared by the stateful optimizers: DJL's options plus a learning rate and weight decay. */
    public abstract static class Builder<T extends Builder<T>> extends OptimizerBuilder<T> {
        private Tracker learningRate;
        private double weightDecay;

        /** Sets the learning rate source, typically a {@link LearningRateSchedule}. */
        public T setLearningRate(Tracker tracker) {
            this.learningRate = Objects.requireNonNull(tracker, "tracker");
            return self();
        }

        /** Sets the weight decay with PyTorch's meaning for the optimizer being built (default 0). */
        public T optWeightDecay(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + value);
            }
            this.weightDecay = value;
            return self();
        }

        /** Builds the optimizer. */
        public abstract StatefulOptimizer build();
    }
}
