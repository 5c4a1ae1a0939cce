package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.bonexray.io.SystemMemory;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelSpec;
import org.bonexray.runtime.Precision;
import org.junit.jupiter.api.Test;

/** When {@code --recompute auto} recomputes: the estimate against DenseNet-169's measured peaks. */
class RecomputeTest {
    private static final AbnormalityNet DENSENET169 = AbnormalityNet.build(
            new ModelSpec(DenseNetVariant.DENSENET169, HeadSpec.linear(), Initialization.HE, 1, 224));
    private static final long GB12 = 12_000_000_000L;

    @Test
    void theEstimateIsNearTheMeasuredBatch64Peaks() {
        // BENCHMARKS.md: plain batch-64 steps peak at 13.8-14.4 GB in fp32 and 7.9 GB in bf16 (processes included)
        assertEquals(14.0e9, Recompute.estimatedActivationBytes(DENSENET169, 64, Precision.FP32), 1.5e9);
        assertEquals(7.0e9, Recompute.estimatedActivationBytes(DENSENET169, 64, Precision.BF16), 1.0e9);
        assertEquals(Recompute.estimatedActivationBytes(DENSENET169, 64, Precision.FP32),
                2 * Recompute.estimatedActivationBytes(DENSENET169, 32, Precision.FP32), 2.0);
    }

    @Test
    void autoRecomputesOnlyWhatWouldNotFitTheBudget() {
        assertTrue(Recompute.wouldExceedBudget(DENSENET169, 64, Precision.FP32, GB12));
        assertFalse(Recompute.wouldExceedBudget(DENSENET169, 64, Precision.BF16, GB12));
        assertFalse(Recompute.wouldExceedBudget(DENSENET169, 32, Precision.FP32, GB12));
        assertTrue(Recompute.ALWAYS.appliesTo(DENSENET169, 2, Precision.FP32));
        assertFalse(Recompute.NEVER.appliesTo(DENSENET169, 100_000, Precision.FP32));
    }

    @Test
    void autoKeepsActivationsWhereTwoThirdsOfTheAvailableMemoryHoldThem() {
        long gib = 1L << 20; // in KiB
        // An idle 24 GB machine (BENCHMARKS.md: a kept fp32 batch-64 run over 12 epochs fits there) ...
        SystemMemory idle24 = new SystemMemory(24 * gib, 23 * gib, false);
        assertFalse(Recompute.AUTO.appliesTo(DENSENET169, 64, Precision.FP32,
                Recompute.budgetBytes(Optional.of(idle24))));
        // ... but not the same machine with 10 GiB taken by something else, a 16 GB machine or a 16 GiB container.
        for (SystemMemory tighter : List.of(new SystemMemory(24 * gib, 13 * gib, false),
                new SystemMemory(16 * gib, 15 * gib, false), new SystemMemory(16 * gib, 14 * gib, true))) {
            long budget = Recompute.budgetBytes(Optional.of(tighter));
            assertTrue(Recompute.AUTO.appliesTo(DENSENET169, 64, Precision.FP32, budget), tighter.toString());
            assertFalse(Recompute.AUTO.appliesTo(DENSENET169, 64, Precision.BF16, budget), tighter.toString());
            assertFalse(Recompute.AUTO.appliesTo(DENSENET169, 32, Precision.FP32, budget), tighter.toString());
        }
        assertEquals((long) (23 * gib * 1024 * 2.0 / 3), Recompute.budgetBytes(Optional.of(idle24)), 1.0);
        // Without Linux's figures: half of what the JVM reports, the rule before available memory was read.
        assertTrue(Recompute.budgetBytes(Optional.empty()) > 0);
    }

    @Test
    void parsesTheCommandLineWords() {
        assertEquals(Recompute.AUTO, Recompute.parse("auto"));
        assertEquals(Recompute.ALWAYS, Recompute.parse(" Always "));
        assertEquals("never", Recompute.NEVER.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recompute.parse("sometimes"));
        assertTrue(e.getMessage().contains("auto, always or never"), e.getMessage());
    }
}
