/**
 * The engine runtime: how bonexray's networks execute on DJL's PyTorch engine, below the model definitions and
 * depending on nothing of bonexray's but DJL.
 *
 * <p>{@link org.bonexray.runtime.ForwardPass} is the one execution path: training steps (whole, or segment by
 * segment when recomputing), validation, evaluation, prediction and the service all run networks through it, in a
 * {@link org.bonexray.runtime.Precision}. It hands the blocks a typed {@link org.bonexray.runtime.ForwardContext}
 * carrying the {@link org.bonexray.runtime.DenseBlockKernel}, which runs each dense block (or run of dense layers)
 * in one TorchScript call, and in bf16 a {@link org.bonexray.runtime.MixedPrecisionStore}, the one cast policy
 * (bf16 convolution and linear weights, fp32 batch norms) through {@link org.bonexray.runtime.Bfloat16Casts}.
 * {@link org.bonexray.runtime.TorchScriptModule} compiles the small TorchScript modules written in Java (the casts,
 * the kernel, the fused Adam update); {@link org.bonexray.runtime.Scoped} releases intermediates early;
 * {@link org.bonexray.runtime.ChannelsLast} lays batches out NHWC.
 */
package org.bonexray.runtime;
