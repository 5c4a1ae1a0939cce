package org.bonexray.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the probabilities of a study's images become the study's probability.
 *
 * <p>{@link #MEAN} is MURA's rule (the arithmetic mean of the image probabilities); {@link #MAX} calls a
 * study abnormal as soon as one view looks abnormal.
 */
public enum StudyAggregation {
    MEAN, MAX;

    /**
     * Groups image predictions by study and aggregates each study, sorted by study id.
     *
     * @throws IllegalArgumentException if the images of one study disagree on label or body part
     */
    public List<StudyPrediction> aggregate(List<ImagePrediction> images) {
        Map<String, List<ImagePrediction>> byStudy = groupByStudy(images);
        List<StudyPrediction> studies = new ArrayList<>(byStudy.size());
        for (Map.Entry<String, List<ImagePrediction>> e : byStudy.entrySet()) {
            studies.add(aggregateStudy(e.getKey(), e.getValue()));
        }
        return List.copyOf(studies);
    }

    /** Image predictions grouped by study id, studies in id order, images in input order. */
    static Map<String, List<ImagePrediction>> groupByStudy(List<ImagePrediction> images) {
        Map<String, List<ImagePrediction>> byStudy = new TreeMap<>();
        for (ImagePrediction image : images) {
            byStudy.computeIfAbsent(image.studyId(), k -> new ArrayList<>()).add(image);
        }
        return byStudy;
    }

    private StudyPrediction aggregateStudy(String studyId, List<ImagePrediction> images) {
        ImagePrediction first = images.get(0);
        for (ImagePrediction image : images) {
            if (image.label() != first.label()) {
                throw new IllegalArgumentException("study " + studyId + " has images labelled both "
                        + first.label() + " (" + first.imagePath() + ") and " + image.label()
                        + " (" + image.imagePath() + ")");
            }
            if (image.bodyPart() != first.bodyPart()) {
                throw new IllegalArgumentException("study " + studyId + " has images of both "
                        + first.bodyPart() + " (" + first.imagePath() + ") and " + image.bodyPart()
                        + " (" + image.imagePath() + ")");
            }
        }
        double p = combine(images.stream().mapToDouble(ImagePrediction::probability).toArray());
        return new StudyPrediction(studyId, first.bodyPart(), first.label(), p, images.size());
    }

    /**
     * The study's probability from its views': the one rule {@code evaluate}, {@code predict}, the service and the
     * PACS scorer apply.
     *
     * @param probabilities the views' probabilities, at least one
     * @return their mean or maximum
     */
    public double combine(double... probabilities) {
        if (probabilities.length == 0) {
            throw new IllegalArgumentException("a study needs at least one view's probability");
        }
        double sum = 0.0;
        double max = 0.0;
        for (double p : probabilities) {
            sum += p;
            max = Math.max(max, p);
        }
        // The mean of values in [0, 1] can exceed 1 by rounding only in the last bit; clamp it back.
        return this == MEAN ? Math.min(1.0, sum / probabilities.length) : max;
    }

    /**
     * @param text {@code mean} or {@code max}, any case
     * @return the rule
     * @throws IllegalArgumentException naming the accepted values
     */
    public static StudyAggregation parse(String text) {
        for (StudyAggregation a : values()) {
            if (a.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown aggregation '" + text + "': expected mean or max");
    }
}
