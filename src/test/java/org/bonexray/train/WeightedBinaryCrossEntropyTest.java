package org.bonexray.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.bonexray.train.optim.TorchFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The weighted BCE against torch's BCEWithLogitsLoss, values and gradients. */
class WeightedBinaryCrossEntropyTest {
    @TestFactory
    List<DynamicTest> matchesTorchBceWithLogits() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TorchFixtures.root().get("losses")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> replay(c)));
        }
        assertEquals(3, tests.size());
        return tests;
    }

    private static void replay(JsonNode c) {
        float[] logits = TorchFixtures.floats(c.get("logits"));
        float[] expectedGrad = TorchFixtures.floats(c.get("grad"));
        try (NDManager manager = NDManager.newBaseManager()) {
            // Logits as (N, 1), as a one-output head gives them; labels as (N).
            NDArray x = manager.create(logits, new Shape(logits.length, 1));
            x.setRequiresGradient(true);
            NDList labels = new NDList(manager.create(TorchFixtures.floats(c.get("labels"))));
            if (!c.get("weights").isNull()) {
                labels.add(manager.create(TorchFixtures.floats(c.get("weights"))));
            }
            float loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = new WeightedBinaryCrossEntropy().evaluate(labels, new NDList(x));
                loss = value.getFloat();
                collector.backward(value);
            }
            assertEquals(c.get("loss").asDouble(), loss, 1e-6 * Math.max(1, Math.abs(loss)), "loss");
            float[] grad = x.getGradient().toFloatArray();
            for (int i = 0; i < grad.length; i++) {
                assertEquals(expectedGrad[i], grad[i], 1e-6, "gradient " + i);
            }
        }
    }

    @Test
    void weightsScaleEachSampleAndNormaliseByBatchSize() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {2f, -1f});
            NDArray labels = manager.create(new float[] {1f, 1f});
            WeightedBinaryCrossEntropy loss = new WeightedBinaryCrossEntropy();
            float plain = loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
            float weighted = loss.evaluate(new NDList(labels, manager.create(new float[] {0f, 2f})),
                    new NDList(logits)).getFloat();
            double l1 = Math.log1p(Math.exp(-2));
            double l2 = Math.log1p(Math.exp(1));
            assertEquals((l1 + l2) / 2, plain, 1e-6);
            assertEquals(2 * l2 / 2, weighted, 1e-6);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.evaluate(
                    new NDList(manager.create(new float[] {1f})), new NDList(logits)));
            assertTrue(e.getMessage().contains("labels have 1 values for 2 logits"), e.getMessage());
        }
    }
}
