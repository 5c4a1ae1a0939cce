package org.bonexray.train;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import org.bonexray.io.SystemMemory;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.runtime.Precision;

/**
 * Whether training steps recompute activations instead of keeping them ({@link TrainingStep}): the same gradients
 * either way; recomputing costs one more forward pass through most of the network and keeps only the arrays
 * between segments (the memory and time it trades: BENCHMARKS.md).
 */
public enum Recompute {
    /**
     * Recompute when a plain step would keep more than {@link #KEEP_SHARE} of the memory available at the start (the
     * machine's, or its control group's where that is lower: {@link SystemMemory}).
     */
    AUTO,
    /** Always recompute. */
    ALWAYS,
    /** Never recompute: keep every activation until backward. */
    NEVER;

    /**
     * Bytes autograd keeps per element of {@link AbnormalityNet#activationElementsPerImage()}'s proxy, per byte of
     * the number format. Fitted to DenseNet-169's measured batch-64 peaks in fp32 and bf16, less an idle process
     * (docs/PERFORMANCE_LOG.md), taking the high end of the fit so that the estimate errs towards recomputing.
     */
    static final double KEPT_PER_PROXY_ELEMENT = 1.75;

    /**
     * The share of the memory available at the start that {@link #AUTO} lets kept activations take. A run that keeps
     * them grows past the estimate while the allocator's free blocks settle into a pattern, and levels off within a
     * few epochs (BENCHMARKS.md: a 12-epoch run on real radiographs); two thirds leaves room for that and for the
     * system. Available rather than total memory, so that what else runs on the machine counts; training still warns
     * if memory runs low later ({@code io.MemoryWatch}).
     */
    static final double KEEP_SHARE = 2.0 / 3;

    /**
     * @param net the network
     * @param batchSize images per step
     * @param precision the arithmetic inside the network (bf16 activations take half the bytes)
     * @return whether steps of that size recompute, for {@link #AUTO} against the memory available now
     */
    public boolean appliesTo(AbnormalityNet net, int batchSize, Precision precision) {
        return appliesTo(net, batchSize, precision, budgetBytes(SystemMemory.now()));
    }

    /**
     * @param net the network
     * @param batchSize images per step
     * @param precision the arithmetic inside the network
     * @param budgetBytes what {@link #AUTO} lets kept activations take ({@link #budgetBytes})
     * @return whether steps of that size recompute
     */
    boolean appliesTo(AbnormalityNet net, int batchSize, Precision precision, long budgetBytes) {
        return switch (this) {
            case AUTO -> wouldExceedBudget(net, batchSize, precision, budgetBytes);
            case ALWAYS -> true;
            case NEVER -> false;
        };
    }

    /**
     * @param net the network
     * @param batchSize images per step
     * @param precision the arithmetic inside the network
     * @param budgetBytes memory a step may keep
     * @return whether the activations a plain step keeps are estimated above the budget
     */
    static boolean wouldExceedBudget(AbnormalityNet net, int batchSize, Precision precision, long budgetBytes) {
        return estimatedActivationBytes(net, batchSize, precision) > budgetBytes;
    }

    /**
     * @param net the network
     * @param batchSize images per step
     * @param precision the arithmetic inside the network
     * @return the estimated bytes of activations a plain step keeps until its backward pass
     */
    public static long estimatedActivationBytes(AbnormalityNet net, int batchSize, Precision precision) {
        int elementBytes = precision == Precision.BF16 ? 2 : 4;
        return (long) (net.activationElementsPerImage() * (double) batchSize * elementBytes * KEPT_PER_PROXY_ELEMENT);
    }

    /**
     * @param memory the memory figures now, as the low-memory warning reads them
     * @return the bytes kept activations may take under {@link #AUTO}: {@link #KEEP_SHARE} of what is available, or
     *     where Linux's figures are missing, half of the memory the JVM sees
     */
    static long budgetBytes(Optional<SystemMemory> memory) {
        return memory.map(m -> (long) (m.availableKib() * 1024.0 * KEEP_SHARE)).orElseGet(() ->
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getTotalMemorySize() / 2);
    }

    /**
     * @param text auto, always or never (any case)
     * @return the setting
     */
    public static Recompute parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("recompute must be auto, always or never, got '" + text + "'", e);
        }
    }

    /** @return the lower-case name, as the command line takes it */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
