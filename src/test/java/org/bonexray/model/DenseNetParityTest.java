package org.bonexray.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.bonexray.model.weights.TorchvisionNames;
import org.junit.jupiter.api.Test;

/**
 * Same weights, same numbers as torchvision: a tiny torchvision DenseNet (fixture made by
 * tools/make_tiny_densenet_fixture.py) against {@link DenseNet#torchvisionClassifier}.
 */
class DenseNetParityTest {

    private static Map<String, NDArray> fixture(NDManager manager) throws IOException {
        try (InputStream in = DenseNetParityTest.class.getResourceAsStream("tiny-densenet.npz")) {
            assertNotNull(in, "fixture missing");
            NDList list = NDList.decode(manager, in);
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray array : list) {
                byName.put(array.getName(), array);
            }
            return byName;
        }
    }

    /** Builds the DJL twin and copies torchvision's tensors into it, checking the key sets agree. */
    private static Block loaded(NDManager manager, Map<String, NDArray> fixture) {
        Block block = TestNets.torchvisionClassifier(DenseNetVariant.TINY, 5);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 57, 57));
        TreeSet<String> djlKeys = new TreeSet<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = TorchvisionNames.toTorchvision(p.getKey());
            djlKeys.add(key);
            NDArray source = fixture.get(key);
            assertNotNull(source, "no torchvision tensor for " + key);
            NDArray target = p.getValue().getArray();
            assertEquals(source.getShape(), target.getShape(), key);
            // Copy in place so the array keeps its gradient attachment.
            target.set(source.toByteBuffer());
        }
        TreeSet<String> torchKeys = new TreeSet<>(fixture.keySet());
        torchKeys.removeIf(k -> !k.startsWith("features.") && !k.startsWith("classifier."));
        assertEquals(torchKeys, djlKeys);
        return block;
    }

    @Test
    void evalAndTrainingOutputsAndStatisticsMatchTorchvision() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> fixture = fixture(manager);
            Block block = loaded(manager, fixture);
            ParameterStore ps = new ParameterStore(manager, false);
            NDList input = new NDList(fixture.get("input"));
            float[] eval = block.forward(ps, input, false).singletonOrThrow().toFloatArray();
            assertArrayEquals(fixture.get("eval_output").toFloatArray(), eval, 1e-4f);

            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray train = block.forward(ps, input, true).singletonOrThrow();
                assertArrayEquals(fixture.get("train_output").toFloatArray(), train.toFloatArray(), 1e-4f);
                collector.backward(train.sum());
                NDArray conv0 = block.getParameters().get("01features_01conv0_weight").getArray();
                assertArrayEquals(fixture.get("grad_conv0_weight").toFloatArray(),
                        conv0.getGradient().toFloatArray(), 1e-3f);
            }
            assertArrayEquals(fixture.get("train_norm0_running_mean").toFloatArray(),
                    parameter(block, "features.norm0.running_mean"), 1e-5f);
            assertArrayEquals(fixture.get("train_norm5_running_var").toFloatArray(),
                    parameter(block, "features.norm5.running_var"), 1e-5f);
        }
    }

    @Test
    void abnormalityNetWithALinearHeadIsTorchvisionWithOneClass() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> fixture = fixture(manager);
            AbnormalityNet net = AbnormalityNet.initialize(manager,
                    new ModelSpec(DenseNetVariant.TINY, HeadSpec.linear(), Initialization.HE, 1, 57));
            for (Pair<String, Parameter> p : net.getParameters()) {
                String key = TorchvisionNames.toTorchvision(p.getKey());
                // Class 0 of torchvision's classifier plays the part of the single logit.
                NDArray source = key.startsWith("head.out.")
                        ? fixture.get(key.replace("head.out.", "classifier.")).get("0:1")
                        : fixture.get(key);
                p.getValue().getArray().set(source.toByteBuffer());
            }
            NDArray logits = net.forward(new ParameterStore(manager, false),
                    new NDList(fixture.get("input")), false).singletonOrThrow();
            assertEquals(new Shape(2, 1), logits.getShape());
            assertArrayEquals(fixture.get("eval_output").get(":, 0").toFloatArray(), logits.toFloatArray(), 1e-4f);
        }
    }

    private static float[] parameter(Block block, String torchKey) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (TorchvisionNames.toTorchvision(p.getKey()).equals(torchKey)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + torchKey);
    }
}
