package org.bonexray.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cuts a recomputing training step makes: a chain of every block, in order, of balanced sizes. */
class NetworkSegmentsTest {
    private static final ModelSpec DENSENET169 = new ModelSpec(DenseNetVariant.DENSENET169, HeadSpec.of(16), Initialization.HE, 1, 224);

    @Test
    void densenet169IsCutIntoTheSegmentsAskedForCoveringEveryBlockOnce() {
        AbnormalityNet net = AbnormalityNet.build(DENSENET169);
        List<NetworkSegment> one = net.segments(1);
        assertEquals(1, one.size());
        // stem (4) + dense blocks (4, each one run) + transitions (3) + norm5 + relu, pool, head
        assertEquals(4 + 4 + 3 + 1 + 3, one.get(0).blocks().size());
        assertEquals(4 + 82 + 3 + 1 + 3, opened(one.get(0).blocks()).size(), "stem, 82 dense layers, ..., head");
        assertEquals("conv0..head", one.get(0).name());

        List<NetworkSegment> eight = net.segments(8);
        assertEquals(8, eight.size());
        List<Block> joined = new ArrayList<>();
        eight.forEach(segment -> joined.addAll(opened(segment.blocks())));
        assertEquals(opened(one.get(0).blocks()), joined, "the segments are the chain, in order, each block once");
        // Dense layers reach a segment only inside runs, which the dense-block kernel executes.
        eight.forEach(segment -> segment.blocks().forEach(block -> assertFalse(block instanceof DenseLayer)));
        assertTrue(eight.stream().anyMatch(segment -> segment.blocks().stream()
                .anyMatch(block -> block instanceof DenseLayerRun && !(block instanceof DenseBlock))),
                "some segment cuts a dense block");
        // The stem alone is an eighth; it is cut after its pool (64 x 56 x 56 per image cross), not before.
        assertEquals("conv0..pool0", eight.get(0).name());
        for (NetworkSegment segment : eight) {
            assertFalse(segment.name().endsWith("relu0") || segment.name().matches(
                    ".*(denseblock1\\.denselayer6|denseblock2\\.denselayer12|denseblock3\\.denselayer32)"),
                    "no cut before a pool or a transition: " + segment.name());
        }
        assertTrue(eight.get(7).name().endsWith("..head"), eight.get(7).name());
        // Balanced by activation size: the 56x56 stem and first dense layers fill a segment with few blocks,
        // the 7x7 fourth dense block many to a segment.
        assertTrue(opened(eight.get(0).blocks()).size() < opened(eight.get(7).blocks()).size());

        assertTrue(net.segments(500).size() <= opened(one.get(0).blocks()).size());
        assertThrows(IllegalArgumentException.class, () -> net.segments(0));
    }

    /** The blocks with every run of dense layers opened into its layers. */
    private static List<Block> opened(List<Block> blocks) {
        List<Block> out = new ArrayList<>();
        for (Block block : blocks) {
            if (block instanceof DenseLayerRun run) {
                out.addAll(run.denseLayers());
            } else {
                out.add(block);
            }
        }
        return out;
    }

    @Test
    void runningTheSegmentsInOrderIsTheForwardPass() {
        ModelSpec spec = TestNets.tiny(HeadSpec.of(8), 3, 64);
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, spec);
            NDList images = new NDList(manager.randomUniform(-1, 1, new Shape(3, 3, 64, 64)));
            ParameterStore ps = new ParameterStore(manager, false);
            float[] whole = net.forward(ps, images, false).singletonOrThrow().toFloatArray();
            for (int count : new int[] {1, 4, 8}) {
                NDList current = images;
                for (NetworkSegment segment : net.segments(count)) {
                    current = segment.forward(ps, current, false, null);
                }
                assertArrayEquals(whole, current.singletonOrThrow().toFloatArray(), 0f, count + " segments");
            }
        }
    }

    @Test
    void theActivationProxyGrowsWithTheInputArea() {
        long at224 = AbnormalityNet.build(DENSENET169).activationElementsPerImage();
        long at112 = AbnormalityNet.build(new ModelSpec(DenseNetVariant.DENSENET169, HeadSpec.of(16), Initialization.HE, 1, 112))
                .activationElementsPerImage();
        // about 32 million elements per 224-pixel image, a quarter of that at half the side
        assertTrue(at224 > 30_000_000 && at224 < 35_000_000, "" + at224);
        assertEquals(4.0, at224 / (double) at112, 0.2);
    }
}
