package org.bonexray.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bonexray.data.DataException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.LoadedModel;

/**
 * Explains a list of studies into a folder: per image {@code <name>_overlay.png} and {@code <name>_map.npy}, and
 * {@code summary.json} with every probability and each study's (the mean of its readable views'). An image that
 * cannot be read is recorded with its reason and never stops the others.
 */
public final class ExplainRun {
    /** The summary's file name. */
    public static final String SUMMARY = "summary.json";

    /** A study to explain: its name and image files. */
    public record StudyInput(String study, List<Path> images, List<String> names) {
        /** Checks that each image has a name. */
        public StudyInput {
            if (images.size() != names.size()) {
                throw new IllegalArgumentException("one output name per image needed");
            }
        }
    }

    /** One image's outcome; the file names are relative to the output folder, null on error. */
    public record ImageOutcome(String image, Double probability, String method, String overlay, String map, String error) {
    }

    /** One study's outcome: mean probability of its readable views (null when none), and the decision. */
    public record StudyOutcome(String study, Double probability, Boolean abnormal, List<ImageOutcome> images) {
    }

    /** The whole summary as written to {@code summary.json}. */
    public record Summary(String model, String requestedMethod, String layer, double threshold,
                          List<StudyOutcome> studies) {
        /** The images that could not be read, with reasons. */
        public List<String> errors() {
            return studies.stream().flatMap(s -> s.images().stream()).filter(i -> i.error() != null)
                    .map(ImageOutcome::error).toList();
        }
    }

    private final HeatmapExplainer explainer;

    /** Explains on the last layer (norm5). */
    public ExplainRun() {
        this(new HeatmapExplainer());
    }

    /**
     * Explains with the given explainer (its layer).
     *
     * @param explainer the explainer
     */
    public ExplainRun(HeatmapExplainer explainer) {
        this.explainer = explainer;
    }

    /**
     * Explains every image and writes the files.
     *
     * @param model the model
     * @param studies what to explain
     * @param method requested method
     * @param out output folder (created)
     * @param progress advanced once per image (may be null)
     * @return the summary, also written as {@link #SUMMARY}
     */
    public Summary run(LoadedModel model, List<StudyInput> studies, Method method, Path out, Progress progress) {
        explainer.resolve(model, method); // refuse CAM on a hidden-layer head before any work
        double threshold = model.description().threshold();
        List<StudyOutcome> outcomes = new ArrayList<>();
        for (StudyInput s : studies) {
            List<ImageOutcome> images = new ArrayList<>();
            for (int i = 0; i < s.images().size(); i++) {
                StopSignal.checkpoint();
                images.add(explainOne(model, s.images().get(i), s.names().get(i), method, out));
                if (progress != null) {
                    progress.step(1);
                }
            }
            double[] readable = images.stream().filter(o -> o.probability() != null)
                    .mapToDouble(ImageOutcome::probability).toArray();
            Double mean = readable.length == 0 ? null : StudyAggregation.MEAN.combine(readable);
            outcomes.add(new StudyOutcome(s.study(), mean, mean == null ? null : mean > threshold, images));
        }
        Summary summary = new Summary(model.dir().toString(), method.name(), explainer.layer(), threshold, outcomes);
        AtomicFiles.writeJson(out.resolve(SUMMARY), summary);
        return summary;
    }

    private ImageOutcome explainOne(LoadedModel model, Path file, String name, Method method, Path out) {
        GrayImage image;
        try {
            image = ImageDecoder.decode(file);
        } catch (DataException e) {
            return new ImageOutcome(file.toString(), null, null, null, null, e.getMessage());
        }
        Heatmap map = explainer.explain(model, image, method);
        String overlay = name + "_overlay.png";
        String raw = name + "_map.npy";
        Overlays.writeOverlay(out.resolve(overlay), image, map);
        Overlays.writeMap(out.resolve(raw), map);
        return new ImageOutcome(file.toString(), map.probability(), map.method().name(), overlay, raw, null);
    }

    /**
     * Output names for image files, unique within {@code used}: the file's stem, else prefixed by as many parent
     * folders as needed, else numbered.
     *
     * @param file the image
     * @param used names given so far (updated)
     * @return the name
     */
    public static String uniqueName(Path file, Set<String> used) {
        Path abs = file.toAbsolutePath().normalize();
        String stem = abs.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        String candidate = sanitize(stem);
        Path parent = abs.getParent();
        while (used.contains(candidate) && parent != null && parent.getFileName() != null) {
            candidate = sanitize(parent.getFileName().toString()) + "_" + candidate;
            parent = parent.getParent();
        }
        String base = candidate;
        for (int n = 2; used.contains(candidate); n++) {
            candidate = base + "_" + n;
        }
        used.add(candidate);
        return candidate;
    }

    /** Keeps names portable across file systems. */
    private static String sanitize(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]", "_");
        return t.isEmpty() ? "image" : t;
    }
}
