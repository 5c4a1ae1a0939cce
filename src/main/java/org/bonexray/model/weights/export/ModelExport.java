package org.bonexray.model.weights.export;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.bonexray.model.AbnormalityNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.weights.ImportReport;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.runtime.Precision;
import org.bonexray.model.weights.WeightsExporter;
import org.bonexray.model.weights.WeightsFiles;
import org.bonexray.model.weights.WeightsImporter;
import org.bonexray.model.weights.format.RawTensor;
import org.bonexray.model.weights.format.StateDict;

/**
 * Writes a trained model as a PyTorch-loadable folder ({@code model.safetensors} under torchvision's names,
 * {@code bonexray-export.json}, a README with the Python that rebuilds it), optionally with check images
 * (bonexray's preprocessed inputs and {@code predict}'s probabilities), and reads such a folder back into a
 * bonexray model. The folder is written whole or not at all.
 */
public final class ModelExport {
    public static final String WEIGHTS = "model.safetensors";
    public static final String CHECK = "check.safetensors";
    public static final String CHECK_NAMES = "check.json";

    private ModelExport() {
    }

    /**
     * What an export wrote.
     *
     * @param keys the state-dict keys written
     * @param checked the check images predicted, by name
     * @param unreadable check images that could not be read, with the reason
     */
    public record Result(List<String> keys, List<String> checked, List<String> unreadable) {
    }

    /** Exports {@code model} to {@code dir} (replaced atomically), with {@code checkImages} predicted for checking. */
    public static Result write(LoadedModel model, Path dir, List<Path> checkImages) {
        AbnormalityNet net = model.single("export").net();
        ExportNames names = new ExportNames(net.head());
        List<String> keys = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        AtomicFiles.replaceDirectory(dir, tmp -> {
            keys.addAll(WeightsExporter.export(net, tmp.resolve(WEIGHTS), names::toExport));
            AtomicFiles.writeJson(tmp.resolve(ExportDescription.FILE), ExportDescription.of(model.description()));
            AtomicFiles.writeBytes(tmp.resolve("README.md"), readme());
            if (!checkImages.isEmpty()) {
                writeCheck(model, tmp, checkImages, checked, unreadable);
            }
        });
        return new Result(keys, checked, unreadable);
    }

    private static void writeCheck(LoadedModel model, Path dir, List<Path> images, List<String> checked,
                                   List<String> unreadable) {
        List<StudyPredictor.View> views = images.stream().map(StudyPredictor.View::of).toList();
        Preprocessing preprocessing = model.description().preprocessing();
        List<Double> probabilities = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        try (StudyPredictor predictor = new StudyPredictor(model, null, Precision.FP32, StudyAggregation.MEAN)) {
            for (StudyPredictor.ImageResult r : predictor.predict("check", views).images()) {
                if (r.probability() == null) {
                    unreadable.add(r.name() + ": " + r.error());
                } else {
                    checked.add(r.name());
                    probabilities.add(r.probability());
                }
            }
        }
        views.stream().filter(v -> v.image() != null).forEach(v -> inputs.add(preprocessing.toChw(v.image())));
        if (checked.isEmpty()) {
            return;
        }
        int s = preprocessing.size();
        float[] all = new float[inputs.size() * preprocessing.floatsPerImage()];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i), 0, all, i * preprocessing.floatsPerImage(), preprocessing.floatsPerImage());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(all, new Shape(inputs.size(), Preprocessing.CHANNELS, s, s));
            x.setName("inputs");
            NDArray p = manager.create(probabilities.stream().mapToDouble(Double::doubleValue).toArray());
            p.setName("probabilities");
            NDList list = new NDList(x, p);
            AtomicFiles.write(dir.resolve(CHECK), out -> list.encode(out, NDList.Encoding.SAFETENSORS));
        }
        AtomicFiles.writeJson(dir.resolve(CHECK_NAMES), Map.of("images", checked, "precision", "fp32"));
    }

    private static byte[] readme() {
        try (InputStream in = ModelExport.class.getResourceAsStream("README.md")) {
            if (in == null) {
                throw new IllegalStateException("the export README resource is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an export's description. */
    public static ExportDescription description(Path dir) {
        Path file = dir.resolve(ExportDescription.FILE);
        if (!Files.isRegularFile(file)) {
            throw new DataException(dir, "not a bonexray export: " + ExportDescription.FILE + " is missing");
        }
        try {
            ExportDescription d = Json.MAPPER.readValue(file.toFile(), ExportDescription.class);
            if (!ExportDescription.FORMAT.equals(d.format()) || d.bonexray() == null) {
                throw new DataException(file, "not a bonexray export description");
            }
            return d;
        } catch (IOException e) {
            throw new DataException(file, "unreadable export description: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an export back into a saved bonexray model in {@code modelDir}: the network its description names,
     * every weight loaded strictly from {@code model.safetensors}.
     */
    public static ImportReport toArtifact(Path exportDir, Path modelDir, Object manifest) {
        ModelArtifact.Description description = description(exportDir).bonexray();
        try (Model model = Model.newInstance("bonexray")) {
            AbnormalityNet net = AbnormalityNet.build(description.spec());
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            ExportNames names = new ExportNames(net.head());
            Path weights = exportDir.resolve(WEIGHTS);
            StateDict read = WeightsFiles.read(weights);
            List<RawTensor> renamed = read.tensors().values().stream().map(t -> t.withKey(names.fromExport(t.key()))).toList();
            ImportReport report = WeightsImporter.full().load(net, weights, read.with(renamed, List.of()));
            ModelArtifact.save(modelDir, net, description, manifest);
            return report;
        }
    }
}
