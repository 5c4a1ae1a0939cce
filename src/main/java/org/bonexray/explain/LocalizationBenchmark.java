package org.bonexray.explain;

import static org.bonexray.explain.HeatmapExplainer.LAST_LAYER;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.bonexray.data.DataException;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.explain.HeatmapExplainer.Method;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.model.LoadedModel;

/**
 * How well heatmaps point at the findings of the synthetic sample: over the abnormal images of a split that have
 * boxes in {@code findings.csv}, the pointing game and the mass fraction ({@link LocalizationMetrics}) of CAM (when
 * the head allows it) and Grad-CAM, against a centre-point baseline (peak at the image centre, uniform mass) and
 * a seeded random map on the feature grid (the finest of the layers scored, so that no method gains from a finer
 * grid alone). Gradient maps of inner layers ({@code LAYER_CAM@denseblock1}) are scored beside norm5's maps, and,
 * as a sanity check, the same maps of an untrained copy of the model: what they score comes from the image alone.
 */
public final class LocalizationBenchmark {
    /** Name of the centre-point / uniform-map baseline. */
    public static final String CENTRE = "centre baseline";
    /** Name of the random-map baseline. */
    public static final String RANDOM = "random baseline";
    /** Suffix of the scores of the untrained copy of the model (the randomisation sanity check). */
    public static final String UNTRAINED = " untrained";
    /** The layers scored by default: the pooled maps and every inner dense block, coarse to fine. */
    public static final List<String> DEFAULT_LAYERS = List.of(LAST_LAYER, "denseblock3", "denseblock2", "denseblock1");

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
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %5s %9s %17s %10s %17s%n",
                    "method", "n", "hit rate", "95% (Wilson)", "mass in", "95%"));
            for (LocalizationScore s : scores) {
                sb.append(String.format(Locale.ROOT, "%-32s %5d %9.3f   [%.3f, %.3f] %10.3f   [%.3f, %.3f]%n",
                        s.name(), s.n(), s.hitRate(), s.hitLower(), s.hitUpper(), s.meanMass(), s.massLower(),
                        s.massUpper()));
            }
            return sb.toString();
        }
    }

    private final List<HeatmapExplainer> explainers;

    /** A benchmark of the maps on {@link #DEFAULT_LAYERS}. */
    public LocalizationBenchmark() {
        this(DEFAULT_LAYERS);
    }

    /**
     * A benchmark of the maps on several layers: on norm5 CAM (when the head allows it), Grad-CAM and LayerCAM,
     * on an inner layer Grad-CAM and LayerCAM, named {@code GRAD_CAM@layer}, {@code LAYER_CAM@layer}.
     *
     * @param layers features children such as {@code norm5} and {@code denseblock3}, at least one
     */
    public LocalizationBenchmark(List<String> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layer to score");
        }
        this.explainers = layers.stream().distinct().map(HeatmapExplainer::new).toList();
    }

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
     * @param untrained the same architecture untrained ({@link org.bonexray.model.ModelArtifact#loadUntrained}),
     *     whose maps are scored too as a sanity check, or null
     * @param split the split's name, for the result
     * @param cases the images
     * @param seed the random baseline's seed
     * @param progress advanced once per image (may be null)
     * @return the result
     */
    public Result run(LoadedModel model, LoadedModel untrained, String split, List<Case> cases, long seed,
                      Progress progress) {
        Map<String, LocalizationScore.Tally> tallies = new LinkedHashMap<>();
        for (String suffix : untrained == null ? List.of("") : List.of("", UNTRAINED)) {
            for (HeatmapExplainer explainer : explainers) {
                for (Method method : methods(model, explainer)) {
                    String name = name(method, explainer) + suffix;
                    tallies.put(name, new LocalizationScore.Tally(name));
                }
            }
        }
        tallies.put(CENTRE, new LocalizationScore.Tally(CENTRE));
        tallies.put(RANDOM, new LocalizationScore.Tally(RANDOM));
        List<ImageScore> images = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            StopSignal.checkpoint();
            Case c = cases.get(i);
            try {
                GrayImage image = ImageDecoder.decode(c.image());
                images.add(score(model, untrained, image, c, seed, i, tallies));
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

    private static Set<Method> methods(LoadedModel model, HeatmapExplainer explainer) {
        Method auto = explainer.resolve(model, Method.AUTO);
        return auto == Method.CAM ? EnumSet.of(Method.CAM, Method.GRAD_CAM, Method.LAYER_CAM)
                : EnumSet.of(Method.GRAD_CAM, Method.LAYER_CAM);
    }

    private static List<Heatmap> maps(LoadedModel model, HeatmapExplainer explainer, GrayImage image) {
        return explainer.explainAll(model, image, methods(model, explainer));
    }

    private static void score(Heatmap map, int w, int h, List<Box> boxes, String name, Map<String, Boolean> hits,
                              Map<String, Double> masses) {
        float[] original = map.toOriginal();
        hits.put(name, LocalizationMetrics.pointingHit(original, w, h, boxes));
        masses.put(name, LocalizationMetrics.massFraction(original, w, h, boxes));
    }

    /** The method's name on norm5, {@code METHOD@layer} on an inner layer. */
    private static String name(Method method, HeatmapExplainer explainer) {
        return LAST_LAYER.equals(explainer.layer()) ? method.name() : method.name() + "@" + explainer.layer();
    }

    private ImageScore score(LoadedModel model, LoadedModel untrained, GrayImage image, Case c, long seed, int index,
                             Map<String, LocalizationScore.Tally> tallies) {
        int w = image.width();
        int h = image.height();
        Map<String, Boolean> hits = new LinkedHashMap<>();
        Map<String, Double> masses = new LinkedHashMap<>();
        Heatmap finest = null;
        for (HeatmapExplainer explainer : explainers) {
            for (Heatmap map : maps(model, explainer, image)) {
                String name = name(map.method(), explainer);
                score(map, w, h, c.boxes(), name, hits, masses);
                if (finest == null || map.gridWidth() > finest.gridWidth()) {
                    finest = map;
                }
            }
            if (untrained != null) {
                for (Heatmap map : maps(untrained, explainer, image)) {
                    score(map, w, h, c.boxes(), name(map.method(), explainer) + UNTRAINED, hits, masses);
                }
            }
        }
        hits.put(CENTRE, LocalizationMetrics.centreHit(w, h, c.boxes()));
        masses.put(CENTRE, LocalizationMetrics.uniformMass(w, h, c.boxes()));
        // the random map lives on the finest grid scored, so that no method gains from a finer grid alone
        float[] grid = LocalizationMetrics.randomGrid(seed, index, finest.gridWidth() * finest.gridHeight());
        float[] random = Heatmap.fromGrid(Method.GRAD_CAM, finest.probability(), grid, finest.gridWidth(),
                finest.gridHeight(), finest.geometry()).toOriginal();
        hits.put(RANDOM, LocalizationMetrics.pointingHit(random, w, h, c.boxes()));
        masses.put(RANDOM, LocalizationMetrics.massFraction(random, w, h, c.boxes()));
        hits.forEach((name, hit) -> tallies.get(name).add(hit, masses.get(name)));
        return new ImageScore(c.csvPath(), finest.probability(), hits, masses);
    }
}
