package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bonexray.data.StudyInputs;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.runtime.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import ai.djl.Device;
import org.bonexray.runtime.EngineFacts;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bonexray predict}: probabilities for images and studies from a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Predict whether radiographs and studies are abnormal.",
        description = {"Each INPUT is an image file (PNG, JPEG or DICOM), a study folder (all its PNG/JPEG/DICOM views), or a .csv/.txt list of image "
                + "paths (first column; relative paths resolve against the list's folder or its parent, as MURA's CSVs do). "
                + "Images are grouped into studies by their folder; a study's probability is the mean (or max) of its views'. "
                + "A model calibrated by evaluate --calibrate reports calibrated probabilities; its per-body-part thresholds "
                + "(evaluate --save-threshold) apply when a folder of the study's path names the part (XR_WRIST, ...).",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 some image could not be read (the others are still predicted)."})
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files, study folders or lists of paths.")
    List<Path> inputs;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--threshold", description = "Decision threshold (default: the model's own, normally 0.5).")
    Double threshold;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = "Arithmetic inside the network: auto (bf16 where the device has bf16 units, else fp32), "
                    + "fp32 or bf16.")
    String precision;

    @Mixin
    DeviceOption device;

    @Option(names = "--aggregation", defaultValue = "mean", paramLabel = "mean|max",
            description = "A study's probability from its views': mean (MURA's rule) or max.")
    String aggregation;

    @Mixin
    TtaOption tta;

    @Override
    public Integer call() throws Exception {
        Device[] devices = device.resolve();
        Precision asked = UsageException.of(() -> Precision.parse(precision));
        Map<String, List<Path>> studies = StudyInputs.groupByStudy(inputs);
        List<StudyPredictor.StudyResult> results = new ArrayList<>();
        spec.commandLine().getErr().println(EngineFacts.startLine(devices, asked));
        try (LoadedModel model = ModelArtifact.load(modelDir, devices[0]);
             StudyPredictor predictor = new StudyPredictor(model, threshold, asked,
                     UsageException.of(() -> StudyAggregation.parse(aggregation)), tta.resolve())) {
            for (Map.Entry<String, List<Path>> e : studies.entrySet()) {
                results.add(predictor.predict(e.getKey(), StudyInputs.bodyPart(e.getKey()),
                        e.getValue().stream().map(StudyPredictor.View::of).toList()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        } else {
            printTable(results, out);
        }
        out.flush();
        boolean errors = results.stream().anyMatch(StudyPredictor.StudyResult::hasErrors);
        if (errors) {
            results.stream().flatMap(r -> r.images().stream()).filter(i -> i.error() != null)
                    .forEach(i -> spec.commandLine().getErr().println("bonexray: bad data: " + i.error()));
        }
        return errors ? ExitCodes.BAD_DATA : ExitCodes.OK;
    }

    static void printTable(List<StudyPredictor.StudyResult> results, PrintWriter out) {
        for (StudyPredictor.StudyResult r : results) {
            out.printf(Locale.ROOT, "%s  study probability %s -> %s (threshold %.2f)%s%n", r.study(),
                    r.probability() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", r.probability()),
                    r.probability() == null ? "UNREADABLE" : r.abnormal() ? "ABNORMAL" : "normal", r.threshold(),
                    r.spread() == null ? "" : String.format(Locale.ROOT, "; %d members, sd %.4f, range %.4f-%.4f",
                            r.spread().members(), r.spread().sd(), r.spread().min(), r.spread().max()));
            for (StudyPredictor.ImageResult i : r.images()) {
                out.printf(Locale.ROOT, "    %-8s %s%n", i.probability() == null ? "error" : String.format(Locale.ROOT, "%.4f", i.probability()),
                        i.error() == null ? i.name() : i.error());
            }
        }
    }
}
