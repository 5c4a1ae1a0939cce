package org.bonexray.model.weights.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;
import org.bonexray.runtime.Precision;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.model.weights.ImportReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Export -> read back -> the same predictions, bit for bit; the export's keys are torchvision's and a Sequential's. */
@Timeout(120)
class ModelExportTest {
    @TempDir
    Path dir;

    /** A tiny model with a BatchNorm + Dropout hidden layer and every weight (running statistics too) random. */
    private Path trainedLookingModel() {
        ModelSpec spec = new ModelSpec(DenseNetVariant.TINY, new HeadSpec(List.of(6), true, 0.2), Initialization.HE, 3, 64);
        Path modelDir = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            AbnormalityNet net = AbnormalityNet.initialize(manager, spec);
            Random random = new Random(5);
            for (Parameter p : net.getParameters().values()) {
                float[] values = p.getArray().toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    values[i] = p.getName().contains("Var") ? 0.5f + random.nextFloat() : (float) random.nextGaussian() * 0.2f;
                }
                p.getArray().set(values);
            }
            ModelArtifact.save(modelDir, net, new ModelArtifact.Description(ModelArtifact.FORMAT, spec,
                    new Preprocessing(64, ResizeMode.SQUASH, Normalization.IMAGENET), 0.5), java.util.Map.of());
        }
        return modelDir;
    }

    private List<Path> images() throws IOException {
        List<Path> files = new ArrayList<>();
        Random random = new Random(9);
        for (int n = 0; n < 3; n++) {
            BufferedImage img = new BufferedImage(80 + 10 * n, 70, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.getRaster().setSample(x, y, 0, (x * 3 + y * n + random.nextInt(40)) & 0xff);
                }
            }
            Path file = dir.resolve("view" + n + ".png");
            ImageIO.write(img, "png", file.toFile());
            files.add(file);
        }
        files.add(Files.writeString(dir.resolve("broken.png"), "not a png"));
        return files;
    }

    private static List<Double> predict(Path modelDir, List<Path> images) {
        try (LoadedModel model = ModelArtifact.load(modelDir);
             StudyPredictor predictor = new StudyPredictor(model, null, Precision.FP32, org.bonexray.eval.StudyAggregation.MEAN)) {
            return predictor.predict("s", images.stream().map(StudyPredictor.View::of).toList()).images().stream()
                    .map(StudyPredictor.ImageResult::probability).toList();
        }
    }

    @Test
    void anExportReadBackPredictsExactlyTheSame() throws IOException {
        Path modelDir = trainedLookingModel();
        List<Path> images = images();
        Path export = dir.resolve("export");
        ModelExport.Result result;
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            result = ModelExport.write(model, export, images);
        }
        assertEquals(3, result.checked().size());
        assertEquals(1, result.unreadable().size(), result.unreadable().toString());
        Set<String> classifier = new TreeSet<>(result.keys().stream().filter(k -> k.startsWith("classifier.")).toList());
        assertEquals(Set.of("classifier.0.weight", "classifier.0.bias", "classifier.1.weight", "classifier.1.bias",
                "classifier.1.running_mean", "classifier.1.running_var", "classifier.4.weight", "classifier.4.bias"), classifier);
        assertTrue(result.keys().contains("features.denseblock1.denselayer1.norm1.running_var"));
        assertTrue(Files.readString(export.resolve("README.md")).contains("torchvision.models.DenseNet"));
        ExportDescription d = ModelExport.description(export);
        assertEquals(List.of("Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear"),
                d.head().stream().map(m -> m.get("type")).toList());
        assertEquals(List.of(0.485, 0.456, 0.406), ((List<?>) d.input().get("mean")).stream()
                .map(v -> Math.round(((Number) v).doubleValue() * 1e6) / 1e6).toList());

        Path back = dir.resolve("back");
        ImportReport report = ModelExport.toArtifact(export, back, java.util.Map.of());
        assertTrue(report.complete(), report.summary());
        List<Double> before = predict(modelDir, images);
        assertEquals(before, predict(back, images), "identical probabilities after the round trip");
        assertEquals(before.subList(0, 3), checkProbabilities(export), "the check file holds predict's probabilities");
    }

    private static List<Double> checkProbabilities(Path export) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(); InputStream in = Files.newInputStream(export.resolve(ModelExport.CHECK))) {
            NDList list = NDList.decode(manager, in);
            NDArray p = list.stream().filter(a -> a.getName().equals("probabilities")).findFirst().orElseThrow();
            NDArray x = list.stream().filter(a -> a.getName().equals("inputs")).findFirst().orElseThrow();
            assertEquals(new ai.djl.ndarray.types.Shape(3, 3, 64, 64), x.getShape());
            List<Double> out = new ArrayList<>();
            for (double v : p.toDoubleArray()) {
                out.add(v);
            }
            return out;
        }
    }
}
