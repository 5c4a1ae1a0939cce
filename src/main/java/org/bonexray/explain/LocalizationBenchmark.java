package org.bonexray.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.io.Progress;
import org.bonexray.model.LoadedModel;

/**
 * How well heatmaps point at the findings of the synthetic sample: over the abnormal images of a split that have
 * boxes in {@code findings.csv}, the pointing game and the mass fraction ({@link LocalizationMetrics}) of CAM (when
 * the head allows it) and Grad-CAM, against a centre-point baseline (peak at the image centre, uniform mass) and
 * a seeded random map on the model's feature grid.
 */
public final class LocalizationBenchmark {
    /** Name of the centre-point / uniform-map baseline. */
    public static final String CENTRE = "centre baseline";
    /** Name of the random-map baseline. */
    public static final String RANDOM = "random baseline";

    /** One image to score: its file, its path as the CSVs write it, its boxes. */
    public record Case(Path image, String csvPath, List<Box> boxes) {
    }

    /** One image's outcome: probability, and per method whether it hit and its mass fraction. */
    public record ImageScore(String image, double probability, Map<String, Boolean> hits, Map<String, Double> masses) {
    }

    /**
     * The benchmark's outcome.
     *
     * @param split the split scored
     * @param seed the random baseline's seed
     * @param scores one per method and baseline, methods first
     * @param images per-image outcomes
     * @param errors images that could not be read, with the reason
     */
    public record Result(String split, long seed, List<LocalizationScore> scores, List<ImageScore> images,
                         List<String> errors) {

        /** A fixed-width table of the scores. */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-16s %5s %9s %17s %10s %17s%n",
                    "method", "n", "hit rate", "95% (Wilson)", "mass in", "95%"));
            for (LocalizationScore s : scores) {
                sb.append(String.format(Locale.ROOT, "%-16s %5d %9.3f   [%.3f, %.3f] %10.3f   [%.3f, %.3f]%n",
                        s.name(), s.n(), s.hitRate(), s.hitLower(), s.hitUpper(), s.meanMass(), s.massLower(),
                        s.massUpper()));
            }
            return sb.toString();
        }
    }

    private final HeatmapExplainer explainer = new HeatmapExplainer();

    /**
     * The abnormal images of a split that have finding boxes, in index order.
     *
     * @param index the dataset
     * @param split which split
     * @param boxes boxes by CSV path, as {@link FindingBoxes#read} gives them
     * @param limit at most this many (0 = all)
     * @return the cases
     */
    public static List<Case> cases(MuraIndex index, Split split, Map<String, List<Box>> boxes, int limit) {
        List<Case> cases = new ArrayList<>();
        for (Study study : index.studies(split)) {
            if (!study.label().isAbnormal()) {
                continue;
            }
            for (Path image : study.images()) {
                List<Box> b = boxes.get(index.csvPath(image));
                if (b != null && !b.isEmpty() && (limit <= 0 || cases.size() < limit)) {
                    cases.add(new Case(image, index.csvPath(image), b));
                }
            }
        }
        return cases;
    }

    /**
     * Scores every case.
     *
     * @param model the model
     * @param split the split's name, for the result
     * @param cases the images
     * @param seed the random baseline's seed
     * @param progress advanced once per image (may be null)
     * @return the result
     */
    public Result run(LoadedModel model, String split, List<Case> cases, long seed, Progress progress) {
        Map<String, LocalizationScore.Tally> tallies = new LinkedHashMap<>();
        if (HeatmapExplainer.camAvailable(model.net())) {
            tallies.put(Method.CAM.name(), new LocalizationScore.Tally(Method.CAM.name()));
        }
        tallies.put(Method.GRAD_CAM.name(), new LocalizationScore.Tally(Method.GRAD_CAM.name()));
        tallies.put(CENTRE, new LocalizationScore.Tally(CENTRE));
        tallies.put(RANDOM, new LocalizationScore.Tally(RANDOM));
        List<ImageScore> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            try {
                GrayImage image = ImageDecoder.decode(c.image());
                images.add(score(model, image, c, seed, i, tallies));
            } catch (DataException e) {
                errors.add(e.getMessage());
            }
            if (progress != null) {
                progress.step(1);
            }
        }
        List<LocalizationScore> scores = tallies.values().stream().map(LocalizationScore.Tally::score)
                .filter(s -> s != null).toList();
        return new Result(split, seed, scores, images, errors);
    }

    private ImageScore score(LoadedModel model, GrayImage image, Case c, long seed, int index,
                             Map<String, LocalizationScore.Tally> tallies) {
        int w = image.width();
        int h = image.height();
        List<Heatmap> maps = explainer.explainAll(model.net(), model.model().getNDManager(),
                model.description().preprocessing(), image, EnumSet.of(Method.AUTO, Method.GRAD_CAM));
        Map<String, Boolean> hits = new LinkedHashMap<>();
        Map<String, Double> masses = new LinkedHashMap<>();
        Heatmap first = maps.get(0);
        for (Heatmap map : maps) {
            float[] original = map.toOriginal();
            hits.put(map.method().name(), LocalizationMetrics.pointingHit(original, w, h, c.boxes()));
            masses.put(map.method().name(), LocalizationMetrics.massFraction(original, w, h, c.boxes()));
        }
        hits.put(CENTRE, LocalizationMetrics.centreHit(w, h, c.boxes()));
        masses.put(CENTRE, LocalizationMetrics.uniformMass(w, h, c.boxes()));
        float[] grid = LocalizationMetrics.randomGrid(seed, index, first.gridWidth() * first.gridHeight());
        float[] random = Heatmap.fromGrid(Method.GRAD_CAM, first.probability(), grid, first.gridWidth(),
                first.gridHeight(), first.geometry()).toOriginal();
        hits.put(RANDOM, LocalizationMetrics.pointingHit(random, w, h, c.boxes()));
        masses.put(RANDOM, LocalizationMetrics.massFraction(random, w, h, c.boxes()));
        hits.forEach((name, hit) -> tallies.get(name).add(hit, masses.get(name)));
        return new ImageScore(c.csvPath(), first.probability(), hits, masses);
    }
}
