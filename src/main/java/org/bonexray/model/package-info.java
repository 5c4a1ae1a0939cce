/**
 * The network's definition: DenseNet backbones with torchvision's layer names, the paper's heads, initialisers,
 * freezing policies, the cut into recomputable segments, and the saved model artifact (weight import and export in
 * {@code model.weights}). How a network executes lives in {@code runtime}; prediction with a saved model in
 * {@code predict}.
 *
 * <p>Building: {@link org.bonexray.model.AbnormalityNet#initialize(ai.djl.ndarray.NDManager,
 * org.bonexray.model.ModelSpec)} builds {@code features -> relu -> pool -> head} and initialises it, seeded, from
 * a {@link org.bonexray.model.ModelSpec}; {@link org.bonexray.model.DenseNet} builds torchvision's
 * {@code features} and whole 1000-class classifier. Call it before a DJL {@code Trainer} initialises the block:
 * parameters already initialised are left alone, so the trainer's default initialisers never apply.
 *
 * <p>Names: every child carries torchvision's name, DJL prefixing its position, so a parameter such as
 * {@code 01features_05denseblock1_01denselayer1_01norm1_gamma} is torchvision's
 * {@code features.denseblock1.denselayer1.norm1.weight} ({@link org.bonexray.model.weights.TorchvisionNames#toTorchvision}).
 * The head's children are {@code fc1, bn1, relu1, drop1, ..., out}. torchvision's {@code num_batches_tracked}
 * has no counterpart (it only matters for momentum=None).
 *
 * <p>Memory: dense layers, dense blocks, transitions and the features block each run in an {@code NDScope}
 * and keep only their output, so a forward pass leaves norm5's output, not every intermediate, attached to the
 * input's manager; PyTorch's autograd keeps what backward needs. Parameters must live on the input's device.
 * For large batches {@link org.bonexray.model.AbnormalityNet#segments(int)} cuts the network into a chain of
 * {@link org.bonexray.model.NetworkSegment}s that a training step can run again during backward instead of
 * keeping their insides ({@code train.TrainingStep}).
 *
 * <p>Execution, in one look: {@code runtime.ForwardPass} runs the {@link org.bonexray.model.AbnormalityNet}, or its
 * {@link org.bonexray.model.NetworkSegment}s in a recomputing step; dense layers are always reached through a
 * {@link org.bonexray.model.DenseLayerRun} (a {@link org.bonexray.model.DenseBlock}, or the part of one a segment
 * holds), which runs them in one {@code runtime.DenseBlockKernel} call when the pass's
 * {@code runtime.ForwardContext} carries the kernel (every pass that {@code ForwardPass} makes), and as the DJL
 * operations of {@link org.bonexray.model.DenseLayer} otherwise (heatmaps reading inside the network).
 *
 * <p>Freezing: {@link org.bonexray.model.FreezePolicy} ({@code none}, {@code all}, {@code last1..last4}) turns
 * gradients off, and a {@link org.bonexray.model.BatchNormBlock} whose gamma takes no gradient normalises with
 * its running statistics, which therefore stay as loaded.
 */
package org.bonexray.model;
