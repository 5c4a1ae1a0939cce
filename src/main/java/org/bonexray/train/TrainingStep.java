package org.bonexray.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.translate.Batchifier;
import java.util.List;
import java.util.Objects;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.NetworkSegment;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.train.optim.StatefulOptimizer;

/**
 * One training step: forward pass, loss, backward pass, optimizer update. Two ways to get the same gradients:
 *
 * <ul>
 *   <li>plain: autograd keeps every intermediate the backward pass needs until it runs (for DenseNet-169
 *       at batch 64 in fp32, more than half of a 24 GB machine);
 *   <li>recomputing: the network runs segment by segment ({@link AbnormalityNet#segments()}) without recording,
 *       keeping only the arrays between segments; the last segment and the loss are recorded and backpropagated,
 *       then each earlier segment is run again, recorded, and backpropagated from the gradient of the segment
 *       after it. One more forward pass through all but the last segment buys memory for one segment's
 *       intermediates instead of all of them (torchvision's {@code memory_efficient} trades the same way, per
 *       layer; DJL has no checkpointing, so the backward pass is cut here).
 * </ul>
 *
 * <p>The recomputed pass sees the same input and weights, so it computes the same activations; its batch norms
 * leave their running statistics alone, which the first pass already updated once. Segments before the first
 * one with trained parameters (a frozen backbone) are run once and never backpropagated.
 *
 * <p>On several devices (the trainer's, {@code --device gpu} with more than one GPU) each batch is split between
 * them, as DJL's {@code Batch.split} does, and each part runs one of the two ways above on its device with its loss
 * scaled by its share of the batch, so the gradients that accumulate on the weights are the whole batch's (the loss
 * is a mean over the batch); batch norms see their part's statistics, as with PyTorch's {@code DataParallel}.
 */
public final class TrainingStep {
    /**
     * Segments a recomputing step cuts the network into: about the square root of its ~90 blocks, as Chen et al.
     * advise; fewer keep more inside a segment, more keep more arrays between segments (the peaks measured for 4, 8
     * and 14: docs/PERFORMANCE_LOG.md).
     */
    static final int SEGMENTS = 8;

    /**
     * What a step computed.
     *
     * @param loss the batch's loss before the update
     * @param logits the network's outputs before the update, one per image
     */
    public record Outcome(float loss, float[] logits) {
    }

    private final Trainer trainer;
    private final StatefulOptimizer optimizer;
    private final ForwardPass pass;
    private final AbnormalityNet net;
    /** The network's parameters, collected once: the optimizer skips those that are frozen at each step. */
    private final List<Parameter> parameters;
    private final List<NetworkSegment> segments;
    /** The first segment with a trained parameter; the gradient need go no further back (a frozen backbone). */
    private final int firstTrained;
    /** Where the batch is computed: the first holds the weights; more than one splits each batch. */
    private final Device[] devices;

    /**
     * @param trainer holds the loss
     * @param optimizer the trainer's optimizer; a step updates all weights in one call ({@link StatefulOptimizer#step},
     *     libtorch's fused kernel for Adam) instead of {@code trainer.step()}'s one weight at a time
     * @param pass the forward pass (fp32 or bf16)
     * @param net the network the trainer trains
     * @param recompute whether to recompute activations segment by segment instead of keeping them
     */
    public TrainingStep(Trainer trainer, StatefulOptimizer optimizer, ForwardPass pass, AbnormalityNet net,
            boolean recompute) {
        this(trainer, optimizer, pass, net, recompute, trainer.getDevices());
    }

    /** As above, splitting each batch over {@code devices} (the trainer's in training; tests choose). */
    TrainingStep(Trainer trainer, StatefulOptimizer optimizer, ForwardPass pass, AbnormalityNet net, boolean recompute,
                 Device[] devices) {
        this.devices = devices.clone();
        this.trainer = trainer;
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.pass = pass;
        this.net = net;
        this.parameters = List.copyOf(net.getParameters().values());
        this.segments = recompute ? net.segments(SEGMENTS) : null;
        this.firstTrained = recompute ? firstTrainedSegment(segments) : 0;
    }

    /** @return whether this step recomputes activations */
    public boolean recomputes() {
        return segments != null;
    }

    /**
     * Runs the forward and backward passes and updates the weights.
     *
     * @param data the images (N, 3, H, W); their manager owns what the step leaves
     * @param labels the loss's labels
     * @return the loss and the logits
     */
    public Outcome run(NDList data, NDList labels) {
        Outcome outcome = computeGradients(data, labels);
        optimizer.step(parameters);
        return outcome;
    }

    /**
     * Runs the forward and backward passes only, leaving the gradients on the parameters (for checks that both ways
     * agree). {@link #run} is this plus the optimizer's update, which also clears the gradients.
     *
     * @param data the images
     * @param labels the loss's labels
     * @return the loss and the logits
     */
    public Outcome computeGradients(NDList data, NDList labels) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            return devices.length == 1 ? onOneDevice(collector, data, labels, 1f)
                    : dataParallel(collector, data, labels);
        }
    }

    private Outcome onOneDevice(GradientCollector collector, NDList data, NDList labels, float share) {
        return segments == null ? plain(collector, data, labels, share) : recomputing(collector, data, labels, share);
    }

    /** Each device computes its part of the batch; the gradients add up on the weights' device. */
    private Outcome dataParallel(GradientCollector collector, NDList data, NDList labels) {
        int size = (int) data.head().getShape().get(0);
        NDList[] inputs = Batchifier.STACK.split(data, devices.length, false);
        NDList[] targets = Batchifier.STACK.split(labels, devices.length, false);
        float loss = 0;
        float[] logits = new float[size];
        int filled = 0;
        for (int i = 0; i < inputs.length; i++) {
            int part = (int) inputs[i].head().getShape().get(0);
            try (NDManager device = data.head().getManager().newSubManager(devices[i])) {
                NDList in = inputs[i].toDevice(devices[i], false);
                NDList target = targets[i].toDevice(devices[i], false);
                in.attach(device);
                target.attach(device);
                Outcome outcome = onOneDevice(collector, in, target, part / (float) size);
                loss += outcome.loss() * part / size;
                System.arraycopy(outcome.logits(), 0, logits, filled, part);
                filled += part;
            }
        }
        return new Outcome(loss, logits);
    }

    private Outcome plain(GradientCollector collector, NDList data, NDList labels, float share) {
        // Not trainer.forward: its parameter store is fixed; the pass brings its own (bf16 casts).
        NDList predictions = pass.forward(net, data, true);
        return backward(collector, labels, predictions, share);
    }

    /** The loss's backward pass, scaled by the part of the batch these predictions are ({@code 1}: all of it). */
    private Outcome backward(GradientCollector collector, NDList labels, NDList predictions, float share) {
        NDArray loss = trainer.getLoss().evaluate(labels, predictions);
        collector.backward(share == 1f ? loss : loss.mul(share));
        return new Outcome(loss.getFloat(), predictions.singletonOrThrow().toFloatArray());
    }

    private Outcome recomputing(GradientCollector collector, NDList data, NDList labels, float share) {
        int last = segments.size() - 1;
        // boundary[i] enters segment i; boundary[0] is the caller's, the others are this step's to close.
        NDArray[] boundary = new NDArray[segments.size()];
        boundary[0] = data.singletonOrThrow();
        ForwardPass.withoutGradients(() -> {
            for (int i = 0; i < last; i++) {
                boundary[i + 1] = pass.forwardTraining(segments.get(i), new NDList(boundary[i]), false).singletonOrThrow();
            }
            return null;
        });
        try {
            NDArray gradient = null;
            if (last > firstTrained) {
                boundary[last].setRequiresGradient(true);
            }
            Outcome outcome = backward(collector, labels,
                    pass.forwardTraining(segments.get(last), new NDList(boundary[last]), false), share);
            if (last > firstTrained) {
                gradient = boundary[last].getGradient();
            }
            for (int i = last - 1; i >= firstTrained; i--) {
                boolean inputNeedsGradient = i > firstTrained;
                if (inputNeedsGradient) {
                    boundary[i].setRequiresGradient(true);
                }
                try (NDArray output = pass.forwardTraining(segments.get(i), new NDList(boundary[i]), true).singletonOrThrow();
                     NDArray upstream = gradient) {
                    JniUtils.backward((PtNDArray) output, (PtNDArray) upstream, false, false);
                }
                boundary[i + 1].close(); // segment i + 1 is done: free its input and the gradient autograd left on it
                gradient = inputNeedsGradient ? boundary[i].getGradient() : null;
            }
            return outcome;
        } finally {
            for (int i = 1; i < boundary.length; i++) {
                if (boundary[i] != null) {
                    boundary[i].close();
                }
            }
        }
    }

    /** Freezing is applied before training starts, so which segments train is settled when a step is made. */
    private static int firstTrainedSegment(List<NetworkSegment> segments) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).trains()) {
                return i;
            }
        }
        return segments.size() - 1;
    }
}
