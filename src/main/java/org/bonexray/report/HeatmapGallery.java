package org.bonexray.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.bonexray.data.DataException;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.explain.Heatmap;
import org.bonexray.explain.HeatmapExplainer;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.explain.Overlays;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.report.html.Html;

/**
 * The report's heatmap gallery: the most confident true positives, false positives, false negatives and true
 * negatives at study level, each with its first view's map on the pooled layer (CAM, or Grad-CAM for a hidden-layer
 * head) beside LayerCAM on the first dense block, the map that pointed at the synthetic sample's findings best
 * (README, Heatmaps).
 */
final class HeatmapGallery {
    /** Studies shown per outcome. */
    static final int PER_OUTCOME = 2;
    /** Longest side of a gallery image, in pixels. */
    static final int MAX_SIDE = 224;
    private static final String FINE_LAYER = "denseblock1";

    private HeatmapGallery() {
    }

    private record Outcome(String name, String file, Predicate<StudyPrediction> member,
                           Comparator<StudyPrediction> mostConfidentFirst) {
    }

    static void section(ReportPage page, RunData run) {
        page.section("heatmaps", "Where the model looks");
        RunData.Evaluation ev = run.evaluation();
        Path modelDir = run.dir().resolve("model");
        if (ev == null || run.index() == null || !Files.isRegularFile(modelDir.resolve("model.json"))) {
            page.note("No heatmaps: they need the run's model/, its " + RunData.EVALUATION_DIR
                    + "/ and the dataset it was evaluated on.");
            return;
        }
        double t = ev.result().threshold().value();
        Comparator<StudyPrediction> byP = Comparator.comparingDouble(StudyPrediction::probability);
        List<Outcome> outcomes = List.of(
                new Outcome("True positives", "tp", p -> p.label().isAbnormal() && p.probability() > t, byP.reversed()),
                new Outcome("False positives", "fp", p -> !p.label().isAbnormal() && p.probability() > t, byP.reversed()),
                new Outcome("False negatives", "fn", p -> p.label().isAbnormal() && p.probability() <= t, byP),
                new Outcome("True negatives", "tn", p -> !p.label().isAbnormal() && p.probability() <= t, byP));
        Map<String, Study> studies = new HashMap<>();
        Split split = "train".equalsIgnoreCase(ev.split()) ? Split.TRAIN : Split.VALID;
        run.index().studies(split).forEach(s -> studies.put(s.id(), s));
        page.html(String.format(Locale.ROOT, "<p>The %d most confident studies of each outcome on the %s split (threshold "
                + "%.3f), first view of each: left the pooled map (what CAM shows, 1/32 of the input's side), right "
                + "LayerCAM on %s (1/4 of the side). Inferno colours, brighter = more evidence of abnormality.</p>",
                PER_OUTCOME, Html.escape(ev.split()), t, FINE_LAYER));
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            HeatmapExplainer pooled = new HeatmapExplainer();
            HeatmapExplainer fine = new HeatmapExplainer(FINE_LAYER);
            for (Outcome o : outcomes) {
                List<StudyPrediction> picked = ev.studies().stream().filter(o.member()).sorted(o.mostConfidentFirst())
                        .filter(p -> studies.containsKey(p.studyId())).limit(PER_OUTCOME).toList();
                page.html("<h3>" + Html.escape(o.name()) + "</h3>");
                if (picked.isEmpty()) {
                    page.note("None.");
                    continue;
                }
                page.openGroup("smalls");
                for (int i = 0; i < picked.size(); i++) {
                    StudyPrediction p = picked.get(i);
                    Path view = studies.get(p.studyId()).images().get(0);
                    String label = String.format(Locale.ROOT, "%s p=%.2f", p.studyId(), p.probability());
                    try {
                        GrayImage image = ImageDecoder.decode(view);
                        for (Heatmap map : List.of(pooled.explain(model, image, Method.AUTO),
                                fine.explain(model, image, Method.LAYER_CAM))) {
                            String kind = map.method() == Method.LAYER_CAM ? "LayerCAM" : map.method().name();
                            page.smallFigure(String.format(Locale.ROOT, "heatmap-%s-%d-%s.png", o.file(), i + 1,
                                    kind.toLowerCase(Locale.ROOT)), thumbnail(image, map), label + " " + kind);
                        }
                    } catch (DataException e) {
                        page.note("Could not read " + view + ": " + e.getMessage());
                    }
                }
                page.closeGroup();
            }
        }
    }

    /** The overlay scaled so that its longest side is at most {@link #MAX_SIDE}, as PNG. */
    private static byte[] thumbnail(GrayImage image, Heatmap map) {
        BufferedImage full = Overlays.overlay(image, map, Overlays.DEFAULT_OPACITY);
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(full.getWidth(), full.getHeight()));
        int w = Math.max(1, (int) Math.round(full.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(full.getHeight() * scale));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(full, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return Overlays.png(small);
    }
}
