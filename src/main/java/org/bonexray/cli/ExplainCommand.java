package org.bonexray.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bonexray.data.DataException;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.StudyInputs;
import org.bonexray.explain.Box;
import org.bonexray.explain.ExplainRun;
import org.bonexray.explain.FindingBoxes;
import org.bonexray.explain.HeatmapExplainer;
import org.bonexray.explain.LocalizationBenchmark;
import org.bonexray.explain.boxes.BoxFormat;
import org.bonexray.explain.boxes.BoxLoader;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bonexray explain}: CAM / Grad-CAM heatmaps of radiographs, and their localisation on the synthetic sample. */
@Command(name = "explain", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Show where the model looks: CAM / Grad-CAM heatmaps over radiographs.",
        description = {"Each INPUT is an image file or a study folder; or use --data with --split for a dataset split. "
                + "Per image it writes <name>_overlay.png (inferno colour map blended over the radiograph at its "
                + "original size) and <name>_map.npy (the raw map at the original size, float32, numpy.load reads it), "
                + "plus summary.json with every probability and each study's (mean of its views').",
                "--localization (with --data) scores the maps against finding boxes (findings.csv or --boxes): pointing "
                + "game and mass inside the boxes, per method and layer, against centre and random baselines and, as a "
                + "sanity check, the same maps of an untrained copy of the model; it prints a table and writes "
                + "localization.json.",
                "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 some image could not be read (the others are still explained)."})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "METHOD",
            description = "auto (CAM when the head is one linear layer and the layer is norm5, else Grad-CAM), cam, "
                    + "gradcam or layercam (LayerCAM: positive gradients weigh each position, keeping inner layers' "
                    + "detail; it localises the sample's findings best on denseblock1).")
    String method;

    @Option(names = "--layer", split = ",", paramLabel = "LAYER",
            description = "Layer of the DenseNet features the maps are computed on: norm5 (the pooled maps; the "
                    + "default) or an inner block, denseblock3 to denseblock1, each twice finer than the one before "
                    + "(gradcam and layercam only). --localization scores a comma-separated list side by side "
                    + "(default: norm5,denseblock3,denseblock2,denseblock1).")
    List<String> layers = List.of();

    @Option(names = "--out", defaultValue = "explain-out", paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Image files or study folders.")
    List<Path> inputs = List.of();

    @Option(names = "--data", paramLabel = "DIR",
            description = "MURA-format dataset root (the MURA-v1.1 folder, or the folder holding it) instead of INPUTs.")
    Path data;

    @Option(names = "--split", defaultValue = "valid", description = "Split of --data: train or valid.")
    String split;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "At most N images from --data (0 = all).")
    int limit;

    @Option(names = "--localization", description = "Score heatmaps against the sample's finding boxes (needs --data).")
    boolean localization;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random-map baseline of --localization.")
    long seed;

    @Option(names = "--boxes", paramLabel = "FILE|DIR",
            description = "Finding boxes of --localization (default: findings.csv in the --data root): a findings.csv, "
                    + "a COCO .json, a Pascal VOC .xml or folder of them, or a folder of YOLO .txt files; each box's "
                    + "image is found by its path (docs/USER_GUIDE.md, Heatmaps).")
    Path boxesSource;

    @Option(names = "--boxes-format", paramLabel = "FORMAT",
            description = "Format of --boxes when its name does not say: csv, coco, voc or yolo.")
    String boxesFormat;

    @Override
    public Integer call() {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        HeatmapExplainer.Method m = UsageException.of(() -> HeatmapExplainer.Method.parse(method));
        if (limit < 0) {
            throw new UsageException("--limit must be 0 or more, got " + limit);
        }
        if ((data == null) == inputs.isEmpty()) {
            throw new UsageException("give either INPUT files/folders or --data, not both nor neither");
        }
        if (localization && data == null) {
            throw new UsageException("--localization needs --data (a synthetic sample with findings.csv)");
        }
        if (!localization && (boxesSource != null || boxesFormat != null)) {
            throw new UsageException("--boxes and --boxes-format belong to --localization");
        }
        if (!localization && layers.size() > 1) {
            throw new UsageException("--layer takes one layer unless --localization scores several");
        }
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            return localization ? localize(model) : explain(model, m);
        }
    }

    private int explain(LoadedModel model, HeatmapExplainer.Method m) {
        List<ExplainRun.StudyInput> studies = data == null ? fromInputs() : fromData();
        long total = studies.stream().mapToLong(s -> s.images().size()).sum();
        PrintStream err = new PrintStream(System.err, true);
        Progress progress = new Progress(err, "explain", total, "img");
        HeatmapExplainer explainer = UsageException.of(() -> new HeatmapExplainer(layers.isEmpty() ? null : layers.get(0)));
        UsageException.of(() -> explainer.resolve(model, m)); // CAM off the pooled layer, a layer the model lacks
        ExplainRun.Summary summary = new ExplainRun(explainer).run(model, studies, m, out, progress);
        progress.finish();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("Explained %d images of %d studies into %s (summary: %s)%n", total - summary.errors().size(),
                studies.size(), out, out.resolve(ExplainRun.SUMMARY));
        w.flush();
        return reportErrors(summary.errors());
    }

    private int localize(LoadedModel model) {
        MuraIndex index = loadIndex();
        Split s = parseSplit();
        Map<String, List<Box>> boxes = loadBoxes(index);
        List<LocalizationBenchmark.Case> cases = LocalizationBenchmark.cases(index, s, boxes, limit);
        if (cases.isEmpty()) {
            throw new DataException(index.root(), "no abnormal " + split + " image has a finding box");
        }
        Progress progress = new Progress(new PrintStream(System.err, true), "localization", cases.size(), "img");
        LocalizationBenchmark.Result result;
        try (LoadedModel untrained = ModelArtifact.loadUntrained(modelDir)) {
            LocalizationBenchmark benchmark = UsageException.of(() ->
                    new LocalizationBenchmark(layers.isEmpty() ? LocalizationBenchmark.DEFAULT_LAYERS : layers));
            result = benchmark.run(model, untrained, split, cases, seed, progress);
        }
        progress.finish();
        Path file = out.resolve("localization.json");
        AtomicFiles.writeJson(file, result);
        PrintWriter w = spec.commandLine().getOut();
        w.print(result.table());
        w.printf("Written: %s%n", file);
        w.flush();
        return reportErrors(result.errors());
    }

    private Map<String, List<Box>> loadBoxes(MuraIndex index) {
        Path source = boxesSource == null ? index.root().resolve(FindingBoxes.FILE) : boxesSource;
        BoxFormat format = UsageException.of(() -> boxesFormat == null ? BoxFormat.detect(source)
                : BoxFormat.parse(boxesFormat));
        BoxLoader.Loaded loaded = BoxLoader.load(source, format, index);
        spec.commandLine().getErr().println(loaded.report().summary());
        loaded.report().unreadable().forEach(e -> spec.commandLine().getErr().println("bonexray: bad data: " + e));
        spec.commandLine().getErr().flush();
        return loaded.boxes();
    }

    private int reportErrors(List<String> errors) {
        errors.forEach(e -> spec.commandLine().getErr().println("bonexray: bad data: " + e));
        spec.commandLine().getErr().flush();
        return errors.isEmpty() ? ExitCodes.OK : ExitCodes.BAD_DATA;
    }

    private List<ExplainRun.StudyInput> fromInputs() {
        Set<String> used = new HashSet<>();
        List<ExplainRun.StudyInput> studies = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : StudyInputs.groupByStudy(inputs).entrySet()) {
            List<String> names = e.getValue().stream().map(p -> ExplainRun.uniqueName(p, used)).toList();
            studies.add(new ExplainRun.StudyInput(e.getKey(), e.getValue(), names));
        }
        return studies;
    }

    private List<ExplainRun.StudyInput> fromData() {
        MuraIndex index = loadIndex();
        List<ExplainRun.StudyInput> studies = new ArrayList<>();
        int left = limit == 0 ? Integer.MAX_VALUE : limit;
        for (Study study : index.studies(parseSplit())) {
            List<Path> images = study.images().subList(0, Math.min(left, study.images().size()));
            if (images.isEmpty()) {
                break;
            }
            left -= images.size();
            // the CSV path without its root folder and extension is unique and says where the image came from
            List<String> names = images.stream().map(p -> index.csvPath(p).replaceFirst("^[^/]*/", "")
                    .replaceFirst("\\.[^./]*$", "").replace('/', '_')).toList();
            studies.add(new ExplainRun.StudyInput(study.id(), images, names));
        }
        return studies;
    }

    private MuraIndex loadIndex() {
        MuraIndex index = MuraIndexLoader.load(data, new LoadOptions(false, false, Set.of()));
        DataOptions.printReport(index.report(), spec.commandLine().getErr());
        return index;
    }

    private Split parseSplit() {
        for (Split s : Split.values()) {
            if (s.name().equalsIgnoreCase(split)) {
                return s;
            }
        }
        throw new UsageException("unknown split '" + split + "': expected train or valid");
    }
}
