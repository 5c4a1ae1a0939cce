package org.bonexray.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraPaths;
import org.bonexray.data.image.ImageFiles;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.runtime.Precision;
import org.bonexray.predict.StudyPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bonexray predict}: probabilities for images and studies from a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Predict whether radiographs and studies are abnormal.",
        description = {"Each INPUT is an image file, a study folder (all its PNG/JPEG views), or a .csv/.txt list of image "
                + "paths (first column; relative paths resolve against the list's folder or its parent, as MURA's CSVs do). "
                + "Images are grouped into studies by their folder; a study's probability is the mean of its views'.",
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

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16",
            description = "Arithmetic inside the network: fp32, or bf16 (faster on CPUs with bf16 units).")
    String precision;

    @Override
    public Integer call() throws Exception {
        Map<String, List<Path>> studies = groupByStudy(inputs);
        List<StudyPredictor.StudyResult> results = new ArrayList<>();
        try (LoadedModel model = ModelArtifact.load(modelDir);
             StudyPredictor predictor = new StudyPredictor(model, threshold, Precision.parse(precision))) {
            for (Map.Entry<String, List<Path>> e : studies.entrySet()) {
                results.add(predictor.predict(e.getKey(), e.getValue().stream().map(StudyPredictor.View::of).toList()));
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
            out.printf(Locale.ROOT, "%s  study probability %s -> %s (threshold %.2f)%n", r.study(),
                    r.probability() == null ? "n/a" : String.format(Locale.ROOT, "%.4f", r.probability()),
                    r.probability() == null ? "UNREADABLE" : r.abnormal() ? "ABNORMAL" : "normal", r.threshold());
            for (StudyPredictor.ImageResult i : r.images()) {
                out.printf(Locale.ROOT, "    %-8s %s%n", i.probability() == null ? "error" : String.format(Locale.ROOT, "%.4f", i.probability()),
                        i.error() == null ? i.name() : i.error());
            }
        }
    }

    /** Expands the inputs into image files grouped by their study folder, in input order. */
    static Map<String, List<Path>> groupByStudy(List<Path> inputs) throws IOException {
        Map<String, List<Path>> studies = new LinkedHashMap<>();
        for (Path input : inputs) {
            for (Path image : expand(input)) {
                Path folder = image.toAbsolutePath().getParent();
                studies.computeIfAbsent(folder == null ? "." : folder.toString(), k -> new ArrayList<>()).add(image);
            }
        }
        return studies;
    }

    private static List<Path> expand(Path input) throws IOException {
        if (Files.isDirectory(input)) {
            List<Path> images = MuraPaths.imagesIn(input);
            if (images.isEmpty()) {
                throw new DataException(input, "no PNG or JPEG file in this folder");
            }
            return images;
        }
        if (!Files.exists(input)) {
            throw new DataException(input, "no such file or folder");
        }
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return readList(input);
        }
        return List.of(input);
    }

    private static List<Path> readList(Path list) throws IOException {
        List<Path> out = new ArrayList<>();
        Path dir = list.toAbsolutePath().getParent();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String first = line.split(",", 2)[0].trim();
            if (first.isEmpty() || !ImageFiles.hasImageName(Path.of(first))) {
                continue; // blank lines and header rows
            }
            Path p = Path.of(first);
            if (!p.isAbsolute()) {
                Path besideList = dir.resolve(first);
                p = Files.exists(besideList) || dir.getParent() == null ? besideList : dir.getParent().resolve(first);
            }
            out.add(p);
        }
        if (out.isEmpty()) {
            throw new DataException(list, "lists no image path");
        }
        return out;
    }

}
