package org.bonexray.model;

import org.bonexray.model.weights.TorchvisionNames;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;

/** Freezing policies: which parameters take gradients, and that one real training step respects them. */
class FreezePolicyTest {
    private static final List<String> FEATURE_CHILDREN = List.of("conv0", "norm0", "denseblock1", "transition1",
            "denseblock2", "transition2", "denseblock3", "transition3", "denseblock4", "norm5");

    /** The trainable children of features under each policy, written out rather than computed. */
    private static final Map<String, List<String>> TRAINABLE = Map.of(
            "none", FEATURE_CHILDREN,
            "all", List.of(),
            "last1", List.of("denseblock4", "norm5"),
            "last2", List.of("denseblock3", "transition3", "denseblock4", "norm5"),
            "last3", List.of("denseblock2", "transition2", "denseblock3", "transition3", "denseblock4", "norm5"));

    private static boolean isRunningStat(String key) {
        return key.endsWith("running_mean") || key.endsWith("running_var");
    }

    private static Set<String> expectedTrainable(Set<String> allKeys, List<String> children) {
        Set<String> expected = new TreeSet<>();
        for (String key : allKeys) {
            if (isRunningStat(key)) {
                continue;
            }
            String[] parts = key.split("\\.");
            if (parts[0].equals("head") || children.contains(parts[1])) {
                expected.add(key);
            }
        }
        return expected;
    }

    private static Set<String> requiringGradient(AbnormalityNet net) {
        Set<String> names = new TreeSet<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().requiresGradient()) {
                names.add(TorchvisionNames.toTorchvision(p.getKey()));
                // The array must agree with the parameter, or PyTorch would still compute its gradient.
                assertEquals(true, p.getValue().getArray().hasGradient(), p.getKey());
            } else {
                assertFalse(p.getValue().getArray().hasGradient(), p.getKey());
            }
        }
        return names;
    }

    @Test
    void eachPolicyFreezesExactlyTheDocumentedParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, TestNets.tiny(HeadSpec.of(8), 1, 32));
            Set<String> all = TestNets.snapshot(net).keySet();
            // Apply in an order that exercises unfreezing as well as freezing.
            for (String policy : List.of("all", "last1", "none", "last3", "last2", "all", "none")) {
                FreezePolicy.parse(policy).apply(net);
                assertEquals(expectedTrainable(all, TRAINABLE.get(policy)), requiringGradient(net), policy);
            }
        }
    }

    @Test
    void oneTrainingStepMovesOnlyTrainableWeightsAndStatistics() {
        for (String policy : List.of("none", "all", "last1", "last2", "last3")) {
            trainOneStepAndCheck(FreezePolicy.parse(policy), TRAINABLE.get(policy));
        }
    }

    private static void trainOneStepAndCheck(FreezePolicy policy, List<String> trainableChildren) {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("freeze-" + policy)) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, TestNets.tiny(HeadSpec.of(8), 11, 32));
            policy.apply(net);
            model.setBlock(net);
            Map<String, float[]> before = TestNets.snapshot(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 3, 32, 32));
                NDArray x = manager.randomUniform(-1, 1, new Shape(4, 3, 32, 32));
                NDArray y = manager.create(new float[] {0, 1, 1, 0}, new Shape(4, 1));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList logits = trainer.forward(new NDList(x));
                    collector.backward(trainer.getLoss().evaluate(new NDList(y), logits));
                }
                trainer.step();
            }
            Map<String, float[]> after = TestNets.snapshot(net);
            for (String key : before.keySet()) {
                String[] parts = key.split("\\.");
                boolean trainable = parts[0].equals("head") || trainableChildren.contains(parts[1]);
                boolean moved = !Arrays.equals(before.get(key), after.get(key));
                if (trainable) {
                    assertEquals(true, moved, policy + ": trainable " + key + " did not change");
                } else {
                    assertArrayEquals(before.get(key), after.get(key), policy + ": frozen " + key + " changed");
                }
            }
        }
    }

    @Test
    void policiesParseAndRoundTripThroughJson() throws Exception {
        for (String text : List.of("none", "all", "last1", "last2", "last3", "last4")) {
            FreezePolicy policy = FreezePolicy.parse(text);
            assertEquals(text, policy.toString());
            String json = Json.MAPPER.writeValueAsString(policy);
            assertEquals("\"" + text + "\"", json);
            assertEquals(policy, Json.MAPPER.readValue(json, FreezePolicy.class));
        }
        assertEquals(FreezePolicy.lastBlocks(2), FreezePolicy.parse(" LAST2 "));
        assertThrows(IllegalArgumentException.class, () -> FreezePolicy.parse("last5"));
        assertThrows(IllegalArgumentException.class, () -> FreezePolicy.parse("some"));
        assertThrows(IllegalArgumentException.class, () -> FreezePolicy.parse(null));
    }
}
