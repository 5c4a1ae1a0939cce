package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** EMA and SWA of a real (tiny) network's parameters. */
@Timeout(60)
class AveragedWeightsTest {
    private static final ModelSpec SPEC = new ModelSpec(DenseNetVariant.TINY, new HeadSpec(List.of(), true, 0.0),
            Initialization.HE, 5, 32);

    private static List<float[]> values(AbnormalityNet net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** Moves every parameter (a stand-in for an optimizer step): w = w * 0.5 + step. */
    private static void step(AbnormalityNet net, float step) {
        for (Pair<String, Parameter> p : net.getParameters()) {
            p.getValue().getArray().muli(0.5f).addi(step);
        }
    }

    private static void assertSame(List<float[]> expected, List<float[]> actual, float tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), tolerance, "parameter " + i);
        }
    }

    @Test
    void emaDecayZeroIsThePlainWeightsAndDecayOneTheInitialOnes() {
        try (Model model = Model.newInstance("ema")) {
            AbnormalityNet net = AbnormalityNet.build(SPEC);
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            List<float[]> initial = values(net);
            try (AveragedWeights zero = new AveragedWeights(WeightAveraging.ema(0), net, model.getNDManager());
                 AveragedWeights one = new AveragedWeights(WeightAveraging.ema(1), net, model.getNDManager())) {
                for (int s = 1; s <= 3; s++) {
                    step(net, 0.1f * s);
                    zero.afterStep();
                    one.afterStep();
                }
                List<float[]> trained = values(net);
                assertSame(trained, zero.swappedIn(() -> values(net)), 0f);
                assertSame(initial, one.swappedIn(() -> values(net)), 0f);
                assertSame(trained, values(net), 0f); // the trained weights are back, value for value
            }
        }
    }

    @Test
    void emaIsTheExponentialAverageAndSwaTheMeanOfItsEpochs() {
        try (Model model = Model.newInstance("avg")) {
            AbnormalityNet net = AbnormalityNet.build(SPEC);
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            float[] w0 = values(net).get(0);
            try (AveragedWeights ema = new AveragedWeights(WeightAveraging.ema(0.75), net, model.getNDManager());
                 AveragedWeights swa = new AveragedWeights(WeightAveraging.swa(2), net, model.getNDManager())) {
                assertFalse(swa.ready(), "SWA has nothing to validate before its first epoch");
                step(net, 0.2f);
                float[] w1 = values(net).get(0);
                ema.afterStep();
                swa.afterEpoch(1); // before the start epoch: not taken
                step(net, -0.4f);
                float[] w2 = values(net).get(0);
                ema.afterStep();
                swa.afterEpoch(2);
                step(net, 0.3f);
                float[] w3 = values(net).get(0);
                swa.afterEpoch(3);
                assertTrue(swa.ready());
                float[] e = ema.swappedIn(() -> values(net)).get(0);
                float[] m = swa.swappedIn(() -> values(net)).get(0);
                for (int k = 0; k < w0.length; k++) {
                    double expectedEma = 0.75 * (0.75 * w0[k] + 0.25 * w1[k]) + 0.25 * w2[k];
                    assertEquals(expectedEma, e[k], 1e-5, "ema " + k);
                    assertEquals((w2[k] + w3[k]) / 2.0, m[k], 1e-5, "swa " + k);
                }
            }
        }
    }

    @Test
    void anExportRestoresTheAverageExactlyAndRefusesAnotherNetwork() {
        try (Model model = Model.newInstance("export")) {
            AbnormalityNet net = AbnormalityNet.build(SPEC);
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            try (AveragedWeights swa = new AveragedWeights(WeightAveraging.swa(1), net, model.getNDManager());
                 AveragedWeights copy = new AveragedWeights(WeightAveraging.swa(1), net, model.getNDManager())) {
                step(net, 0.3f);
                swa.afterEpoch(1);
                step(net, 0.1f);
                swa.afterEpoch(2);
                NDList exported = swa.export(model.getNDManager());
                copy.restore(exported);
                assertSame(swa.swappedIn(() -> values(net)), copy.swappedIn(() -> values(net)), 0f);
                // the count came along: one more epoch moves both means the same way
                step(net, 0.2f);
                swa.afterEpoch(3);
                copy.afterEpoch(3);
                assertSame(swa.swappedIn(() -> values(net)), copy.swappedIn(() -> values(net)), 0f);
                NDList truncated = new NDList(exported.subList(1, exported.size()));
                assertThrows(IllegalArgumentException.class, () -> copy.restore(truncated));
                NDArray any = exported.get(0);
                assertTrue(any.getName() != null && !any.getName().isEmpty());
            }
        }
    }
}
