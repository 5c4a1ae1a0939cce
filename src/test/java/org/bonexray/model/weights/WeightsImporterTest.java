package org.bonexray.model.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bonexray.data.DataException;
import org.bonexray.io.Json;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelSpec;
import org.bonexray.model.TestNets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key matching, shape checks, strictness and the backbone-only import for the MURA head. */
class WeightsImporterTest {
    @TempDir
    Path dir;

    private static AbnormalityNet tinyMuraNet(NDManager manager) {
        return AbnormalityNet.initialize(manager,
                new ModelSpec(DenseNetVariant.TINY, HeadSpec.of(4), Initialization.HE, 3, 64));
    }

    @Test
    void densenet169KeysAndShapesMatchTorchvisionBothWays() throws IOException {
        JsonNode root = Json.MAPPER.readTree(Fixtures.path("densenet169-keys.json").toFile());
        Map<String, Shape> torch = new TreeMap<>();
        for (JsonNode entry : root.get("keys")) {
            String key = entry.get("key").asText();
            if (!TorchvisionNames.isIgnored(key)) {
                long[] dims = new long[entry.get("shape").size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = entry.get("shape").get(i).asLong();
                }
                torch.put(key, new Shape(dims));
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestNets.torchvisionClassifier(DenseNetVariant.DENSENET169, 1000);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
            Map<String, Shape> ours = new TreeMap<>();
            TorchvisionNames.parametersByKey(block).forEach((k, p) -> ours.put(k, p.getArray().getShape()));
            assertEquals(torch.size(), ours.size());
            assertEquals(torch, ours);
        }
    }

    @Test
    void backboneImportSkipsTheImagenetClassifierAndKeepsTheHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = tinyMuraNet(manager);
            Map<String, float[]> before = Fixtures.snapshot(net);
            ImportReport report = WeightsImporter.backbone().load(net, Fixtures.path("tiny-densenet.safetensors"));

            assertTrue(report.complete(), report.summary());
            assertTrue(report.skipped().containsAll(List.of("classifier.weight", "classifier.bias")));
            assertTrue(report.loaded().stream().allMatch(k -> k.startsWith("features.")));
            Map<String, NDArray> file = Fixtures.arrays(manager, "tiny-densenet.safetensors");
            Map<String, float[]> after = Fixtures.snapshot(net);
            assertArrayEquals(file.get("features.norm5.running_mean").toFloatArray(), after.get("features.norm5.running_mean"));
            assertArrayEquals(file.get("features.conv0.weight").toFloatArray(), after.get("features.conv0.weight"));
            for (String key : after.keySet()) {
                if (key.startsWith("head.")) {
                    assertArrayEquals(before.get(key), after.get(key), key + " must keep its initialisation");
                }
            }
        }
    }

    @Test
    void strictImportNamesMissingAndUnexpectedKeysAndChangesNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = tinyMuraNet(manager);
            Map<String, float[]> before = Fixtures.snapshot(net);
            WeightsException e = assertThrows(WeightsException.class,
                    () -> WeightsImporter.full().load(net, Fixtures.path("tiny-densenet.safetensors")));
            assertTrue(e.getMessage().contains("head.out.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("classifier.weight"), e.getMessage());
            assertArrayEquals(before.get("features.conv0.weight"), Fixtures.snapshot(net).get("features.conv0.weight"));

            ImportReport report = WeightsImporter.full().nonStrict().load(net, Fixtures.path("tiny-densenet.safetensors"));
            assertTrue(report.missing().contains("head.fc1.weight"), report.summary());
            assertTrue(report.missing().contains("head.bn1.running_var"), report.summary());
            assertEquals(List.of("classifier.weight", "classifier.bias"), report.unexpected());
            assertTrue(report.loaded().contains("features.norm0.running_var"));
        }
    }

    @Test
    void shapeMismatchNamesKeyAndBothShapes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestNets.torchvisionClassifier(DenseNetVariant.TINY, 5);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            WeightsException e = assertThrows(WeightsException.class,
                    () -> WeightsImporter.full().load(block, Fixtures.path("tiny-densenet.safetensors")));
            String m = e.getMessage();
            assertTrue(m.contains("classifier.weight: model expects (5, 32), file has (3, 32)"), m);
            assertTrue(m.contains("tiny-densenet.safetensors"), "names the file: " + m);
        }
    }

    @Test
    void exportedMuraNetHasTorchvisionBackboneKeysAndDocumentedHeadKeys() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = tinyMuraNet(manager);
            Path out = dir.resolve("mura.safetensors");
            List<String> keys = WeightsExporter.export(net, out);
            List<String> head = new ArrayList<>(keys);
            head.removeIf(k -> k.startsWith("features."));
            assertEquals(List.of("head.fc1.weight", "head.fc1.bias", "head.bn1.weight", "head.bn1.bias",
                    "head.bn1.running_mean", "head.bn1.running_var", "head.out.weight", "head.out.bias"), head);
            List<String> torchFeatures = new ArrayList<>(Fixtures.arrays(manager, "tiny-densenet.safetensors").keySet());
            torchFeatures.removeIf(k -> !k.startsWith("features.") || TorchvisionNames.isIgnored(k));
            List<String> ourFeatures = new ArrayList<>(keys);
            ourFeatures.removeAll(head);
            assertEquals(new java.util.TreeSet<>(torchFeatures), new java.util.TreeSet<>(ourFeatures));
            assertEquals(new java.util.TreeSet<>(keys), new java.util.TreeSet<>(Fixtures.arrays(manager, out).keySet()));
        }
    }

    @Test
    void unreadableFileIsBadData() throws IOException {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, "this is not a weights file at all".getBytes());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TestNets.torchvisionClassifier(DenseNetVariant.TINY, 3);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            DataException e = assertThrows(DataException.class, () -> WeightsImporter.full().load(block, junk));
            assertEquals(junk, e.path());
        }
    }

    @Test
    void uninitialisedBlockIsRefused() {
        Block block = TestNets.torchvisionClassifier(DenseNetVariant.TINY, 3);
        WeightsException e = assertThrows(WeightsException.class,
                () -> WeightsImporter.full().load(block, Fixtures.path("tiny-densenet.safetensors")));
        assertTrue(e.getMessage().contains("not initialised"), e.getMessage());
        assertTrue(block.getParameters().values().stream().noneMatch(Parameter::isInitialized));
    }
}
