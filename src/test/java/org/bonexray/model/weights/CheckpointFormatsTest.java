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
import java.util.Map;
import java.util.Optional;
import org.bonexray.model.TestNets;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.weights.format.StateDict;

import org.bonexray.model.weights.format.WeightsFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every good file of tools/make_weights_fixtures.py (one tiny DenseNet saved by Debian's torch 1.13 in each
 * serialisation and layout) loads strictly and gives torchvision's eval-mode outputs.
 */
@Timeout(120)
class CheckpointFormatsTest {
    static String hubName() {
        return Fixtures.json("weights/weights-fixtures.json").get("torch_hub_name").asText();
    }

    private static Block classifier(NDManager manager, int classes) {
        Block block = TestNets.torchvisionClassifier(DenseNetVariant.TINY, classes);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return block;
    }

    private static float[] eval(NDManager manager, Block block, NDArray input) {
        return block.forward(new ParameterStore(manager, false), new NDList(input), false).singletonOrThrow().toFloatArray();
    }

    @ParameterizedTest
    @CsvSource({"tiny-zip.pth, TORCH_ZIP", "HUB, TORCH_LEGACY", "pytorch_model.bin, TORCH_ZIP",
            "lightning.ckpt, TORCH_ZIP", "checkpoint-dataparallel.pth, TORCH_LEGACY"})
    void everyLayoutLoadsStrictlyWithTorchvisionsOutputs(String name, WeightsFormat format) {
        String file = "weights/" + (name.equals("HUB") ? hubName() : name);
        assertEquals(format, WeightsFiles.detect(Fixtures.path(file)));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> io = Fixtures.arrays(manager, "weights/weights-io.safetensors");
            Block block = classifier(manager, 3);
            ImportReport report = WeightsImporter.full().load(block, Fixtures.path(file));
            assertTrue(report.complete(), report.summary());
            assertEquals(block.getParameters().size(), report.loaded().size());
            assertArrayEquals(io.get("eval_output").toFloatArray(), eval(manager, block, io.get("input")), 1e-4f);
        }
    }

    @Test
    void mappingNotesSayWhatWasDone() {
        assertTrue(notes("lightning.ckpt").contains("nested under 'state_dict'"), notes("lightning.ckpt"));
        assertTrue(notes("lightning.ckpt").contains("under 'model.'"), notes("lightning.ckpt"));
        assertTrue(notes("lightning.ckpt").contains("criterion.pos_weight"), notes("lightning.ckpt"));
        assertTrue(notes("checkpoint-dataparallel.pth").contains("nested under 'model'"));
        assertTrue(notes("checkpoint-dataparallel.pth").contains("'module.'"));
        assertTrue(notes(hubName()).contains("renamed 80 legacy dense-layer keys"), notes(hubName()));
        assertEquals("", notes("tiny-zip.pth"));
    }

    private static String notes(String name) {
        StateDict read = KeyMapping.toTorchvision(
                WeightsFiles.read(Fixtures.path("weights/" + name)));
        return String.join("; ", read.notes());
    }

    @Test
    void halfPrecisionsAreWidenedInJava() {
        StateDict fp16 = WeightsFiles.read(Fixtures.path("weights/pytorch_model.bin"));
        assertEquals("F16", fp16.tensors().get("features.conv0.weight").dtype().name());
        StateDict bf16 = WeightsFiles.read(Fixtures.path("weights/lightning.ckpt"));
        assertEquals("BF16", bf16.tensors().get("model.features.conv0.weight").dtype().name());
        StateDict fp32 = WeightsFiles.read(Fixtures.path("weights/tiny-zip.pth"));
        assertArrayEquals(fp32.tensors().get("features.conv0.weight").toFloats(),
                bf16.tensors().get("model.features.conv0.weight").toFloats());
    }

    @Test
    void torchxrayvisionModuleLoadsAsDataWithItsGreyStemSpreadOverRgb() {
        var file = Fixtures.path("weights/xrv-tiny-densenet.pt");
        assertEquals(Optional.of("torchxrayvision.models.DenseNet"), WeightsFiles.moduleClass(file));
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> io = Fixtures.arrays(manager, "weights/weights-io.safetensors");
            Block block = classifier(manager, 18);
            ImportReport report = WeightsImporter.full().load(block, file);
            assertTrue(report.complete(), report.summary());
            assertTrue(String.join(" ", report.notes()).contains("1 input channel"), report.notes().toString());
            NDArray rgb = io.get("gray_input").repeat(1, 3);
            float[] expected = io.get("xrv_logits").toFloatArray();
            float[] actual = eval(manager, block, rgb);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "logit " + i);
            }
        }
    }
}
