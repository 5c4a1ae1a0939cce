package org.bonexray.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bonexray.data.BodyPart;

/**
 * Turns image predictions into image- and study-level metrics, overall and per body part, with bootstrap
 * intervals that resample studies.
 *
 * @param aggregation how study probabilities are formed
 * @param threshold   the already chosen threshold (see {@link ThresholdChoice#choose})
 * @param bootstrap   interval settings; every group restarts the generator from the seed, so a group's
 *                    intervals do not depend on which other groups are present
 */
public record Evaluation(StudyAggregation aggregation, ChosenThreshold threshold, BootstrapSettings bootstrap) {

    public Evaluation {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(bootstrap, "bootstrap");
    }

    /** MURA's protocol: mean aggregation, fixed 0.5, 1000 resamples. */
    public static Evaluation muraDefaults() {
        return new Evaluation(StudyAggregation.MEAN, ThresholdChoice.defaultChoice().choose(List.of()),
                BootstrapSettings.defaults());
    }

    /**
     * Evaluates the predictions.
     *
     * @throws IllegalArgumentException when there are no predictions or a study's images disagree
     */
    public EvaluationResult evaluate(List<ImagePrediction> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image predictions to evaluate");
        }
        List<StudyPrediction> studies = aggregation.aggregate(images);
        Map<BodyPart, List<ImagePrediction>> imagesByPart = new EnumMap<>(BodyPart.class);
        images.forEach(i -> imagesByPart.computeIfAbsent(i.bodyPart(), k -> new ArrayList<>()).add(i));
        Map<BodyPart, List<StudyPrediction>> studiesByPart = new EnumMap<>(BodyPart.class);
        studies.forEach(s -> studiesByPart.computeIfAbsent(s.bodyPart(), k -> new ArrayList<>()).add(s));

        List<GroupResult> imageParts = new ArrayList<>();
        List<GroupResult> studyParts = new ArrayList<>();
        for (BodyPart part : imagesByPart.keySet()) {
            imageParts.add(imageGroup(part, imagesByPart.get(part), studiesByPart.get(part).size()));
            studyParts.add(studyGroup(part, studiesByPart.get(part)));
        }
        LevelResult imageLevel = new LevelResult(imageGroup(null, images, studies.size()), imageParts);
        LevelResult studyLevel = new LevelResult(studyGroup(null, studies), studyParts);
        return new EvaluationResult(aggregation, threshold, bootstrap, imageLevel, studyLevel);
    }

    private GroupResult imageGroup(BodyPart part, List<ImagePrediction> images, int studyCount) {
        double[] scores = images.stream().mapToDouble(ImagePrediction::probability).toArray();
        int[] labels = images.stream().mapToInt(i -> i.label().value()).toArray();
        double[] thresholds = images.stream().mapToDouble(i -> threshold.valueFor(i.bodyPart())).toArray();
        BinaryMetrics metrics = BinaryMetrics.compute(scores, labels, thresholds, reported(part));
        MetricIntervals intervals = BootstrapIntervals.ofImages(images, threshold::valueFor, bootstrap);
        return new GroupResult(part, studyCount, images.size(), metrics, intervals);
    }

    private GroupResult studyGroup(BodyPart part, List<StudyPrediction> studies) {
        double[] scores = studies.stream().mapToDouble(StudyPrediction::probability).toArray();
        int[] labels = studies.stream().mapToInt(s -> s.label().value()).toArray();
        double[] thresholds = studies.stream().mapToDouble(s -> threshold.valueFor(s.bodyPart())).toArray();
        BinaryMetrics metrics = BinaryMetrics.compute(scores, labels, thresholds, reported(part));
        MetricIntervals intervals = BootstrapIntervals.ofStudies(studies, threshold::valueFor, bootstrap);
        int imageCount = studies.stream().mapToInt(StudyPrediction::imageCount).sum();
        return new GroupResult(part, studies.size(), imageCount, metrics, intervals);
    }

    /** The threshold a group's metrics name: the part's own, or the overall one for the whole set. */
    private double reported(BodyPart part) {
        return part == null ? threshold.value() : threshold.valueFor(part);
    }

    /** Metrics of study predictions at a threshold, for instance of studies read back from a CSV. */
    public static BinaryMetrics studyMetrics(List<StudyPrediction> studies, double threshold) {
        double[] scores = studies.stream().mapToDouble(StudyPrediction::probability).toArray();
        int[] labels = studies.stream().mapToInt(s -> s.label().value()).toArray();
        return BinaryMetrics.compute(scores, labels, threshold);
    }
}
