package org.bonexray.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bonexray.model.DenseNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.TestNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's tiny DenseNet (tools/make_densenet_fixtures.py) imported into bonexray's gives torchvision's
 * eval-mode outputs, and exporting it gives back torchvision's state-dict keys.
 */
class WeightsParityTest {
    /** TINY is torchvision's DenseNet(growth_rate=8, block_config=(2,2,2,2), num_init_features=16, bn_size=2). */
    private static final int CLASSES = 3;

    @TempDir
    Path dir;

    private static Block tinyClassifier(NDManager manager) {
        Block block = TestNets.torchvisionClassifier(DenseNetVariant.TINY, CLASSES);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return block;
    }

    private static float[] evalOutput(NDManager manager, Block block, NDArray input) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), false)
                .singletonOrThrow().toFloatArray();
    }

    @Test
    void importedWeightsReproduceTorchvisionOutputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> io = Fixtures.arrays(manager, "tiny-densenet-io.safetensors");
            Block block = tinyClassifier(manager);
            float[] before = evalOutput(manager, block, io.get("input"));
            ImportReport report = WeightsImporter.full().load(block, Fixtures.path("tiny-densenet.safetensors"));

            assertTrue(report.complete(), report.summary());
            assertTrue(report.skipped().stream().allMatch(k -> k.endsWith(".num_batches_tracked")), report.summary());
            assertEquals(block.getParameters().size(), report.loaded().size());
            float[] expected = io.get("eval_output").toFloatArray();
            assertEquals(2 * CLASSES, expected.length);
            assertArrayEquals(expected, evalOutput(manager, block, io.get("input")), 1e-4f);
            assertTrue(Fixtures.maxAbsDiff(before, expected) > 1e-2, "the fixture must differ from a fresh init");
        }
    }

    @Test
    void legacyKeysInNpzLoadTheSameNetwork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> io = Fixtures.arrays(manager, "tiny-densenet-io.safetensors");
            Block block = tinyClassifier(manager);
            ImportReport report = WeightsImporter.full().load(block, Fixtures.path("tiny-densenet-legacy.npz"));
            assertTrue(report.complete(), report.summary());
            assertTrue(report.loaded().contains("features.denseblock1.denselayer1.norm1.running_var"));
            assertArrayEquals(io.get("eval_output").toFloatArray(), evalOutput(manager, block, io.get("input")), 1e-4f);
        }
    }

    @Test
    void exportWritesTorchvisionKeysAndRoundTrips() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> io = Fixtures.arrays(manager, "tiny-densenet-io.safetensors");
            Block block = tinyClassifier(manager);
            WeightsImporter.full().load(block, Fixtures.path("tiny-densenet.safetensors"));
            Path exported = dir.resolve("tiny-export.safetensors");
            WeightsExporter.export(block, exported);

            Set<String> torchKeys = new TreeSet<>(Fixtures.arrays(manager, "tiny-densenet.safetensors").keySet());
            torchKeys.removeIf(TorchvisionNames::isIgnored);
            assertEquals(torchKeys, new TreeSet<>(Fixtures.arrays(manager, exported).keySet()));

            Block copy = tinyClassifier(manager);
            assertTrue(WeightsImporter.full().load(copy, exported).complete());
            assertArrayEquals(io.get("eval_output").toFloatArray(), evalOutput(manager, copy, io.get("input")), 1e-4f);
        }
    }
}
