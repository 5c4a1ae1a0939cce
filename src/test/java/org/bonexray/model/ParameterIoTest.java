package org.bonexray.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The custom blocks save and load through DJL's own parameter format. */
class ParameterIoTest {

    @Test
    void savedParametersLoadIntoAFreshNetwork(@TempDir Path dir) throws Exception {
        ModelSpec spec = TestNets.tiny(HeadSpec.of(8), 3, 32);
        ModelSpec otherSeed = TestNets.tiny(HeadSpec.of(8), 4, 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet original = AbnormalityNet.initialize(manager, spec);
            NDArray x = manager.randomUniform(-1, 1, new Shape(2, 3, 32, 32));
            float[] expected = original.forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow().toFloatArray();
            try (Model model = Model.newInstance("tiny")) {
                model.setBlock(original);
                model.save(dir, "tiny");
            }
            assertFalse(Arrays.equals(TestNets.snapshot(original).get("features.conv0.weight"),
                    TestNets.snapshot(AbnormalityNet.initialize(manager, otherSeed)).get("features.conv0.weight")));
            try (Model model = Model.newInstance("tiny")) {
                AbnormalityNet restored = AbnormalityNet.build(spec);
                model.setBlock(restored);
                model.load(dir, "tiny");
                Map<String, float[]> a = TestNets.snapshot(original);
                Map<String, float[]> b = TestNets.snapshot(restored);
                assertEquals(a.keySet(), b.keySet());
                a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
                float[] actual = restored.forward(new ParameterStore(model.getNDManager(), false),
                        new NDList(x), false).singletonOrThrow().toFloatArray();
                assertArrayEquals(expected, actual, 1e-6f);
            }
            assertEquals(true, Files.exists(dir.resolve("tiny-0000.params")));
        }
    }
}
