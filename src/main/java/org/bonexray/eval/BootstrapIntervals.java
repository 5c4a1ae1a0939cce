package org.bonexray.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.bonexray.data.BodyPart;

/**
 * Percentile bootstrap intervals that resample whole studies with replacement, because images of one study
 * are not independent: at study level a resample draws studies, at image level it draws studies and takes
 * all of their images.
 *
 * <p>A resample where a metric is undefined is skipped for that metric only: AUROC needs both classes, kappa
 * a defined expected disagreement, sensitivity at least one abnormal truth and specificity at least one normal
 * truth (the {@code zero_division=0} value 0 would say nothing about the model there). The interval bounds are
 * the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the defined values, interpolated linearly between
 * order statistics (numpy's default percentile).
 */
public final class BootstrapIntervals {

    private BootstrapIntervals() {
    }

    /** Intervals of study-level metrics, resampling studies. */
    public static MetricIntervals ofStudies(List<StudyPrediction> studies, double threshold,
                                            BootstrapSettings settings) {
        return ofStudies(studies, part -> threshold, settings);
    }

    /** Intervals of study-level metrics with a threshold per body part. */
    public static MetricIntervals ofStudies(List<StudyPrediction> studies, ToDoubleFunction<BodyPart> threshold,
                                            BootstrapSettings settings) {
        double[][] scores = new double[studies.size()][];
        int[][] labels = new int[studies.size()][];
        double[] thresholds = new double[studies.size()];
        for (int i = 0; i < studies.size(); i++) {
            scores[i] = new double[] {studies.get(i).probability()};
            labels[i] = new int[] {studies.get(i).label().value()};
            thresholds[i] = threshold.applyAsDouble(studies.get(i).bodyPart());
        }
        return resample(scores, labels, thresholds, settings);
    }

    /** Intervals of image-level metrics, resampling studies and taking all images of each drawn study. */
    public static MetricIntervals ofImages(List<ImagePrediction> images, double threshold,
                                           BootstrapSettings settings) {
        return ofImages(images, part -> threshold, settings);
    }

    /** Intervals of image-level metrics with a threshold per body part. */
    public static MetricIntervals ofImages(List<ImagePrediction> images, ToDoubleFunction<BodyPart> threshold,
                                           BootstrapSettings settings) {
        Map<String, List<ImagePrediction>> byStudy = StudyAggregation.groupByStudy(images);
        double[][] scores = new double[byStudy.size()][];
        int[][] labels = new int[byStudy.size()][];
        double[] thresholds = new double[byStudy.size()];
        int i = 0;
        for (List<ImagePrediction> study : byStudy.values()) {
            scores[i] = study.stream().mapToDouble(ImagePrediction::probability).toArray();
            labels[i] = study.stream().mapToInt(p -> p.label().value()).toArray();
            thresholds[i] = threshold.applyAsDouble(study.get(0).bodyPart());
            i++;
        }
        return resample(scores, labels, thresholds, settings);
    }

    /** Resamples units (studies), each with its images' scores and labels and one threshold for all of them. */
    private static MetricIntervals resample(double[][] unitScores, int[][] unitLabels, double[] unitThresholds,
                                            BootstrapSettings settings) {
        int b = settings.resamples();
        if (b == 0 || unitScores.length == 0) {
            return MetricIntervals.none();
        }
        Tally tally = new Tally(b);
        SplittableRandom random = new SplittableRandom(settings.seed());
        int[] drawn = new int[unitScores.length];
        for (int r = 0; r < b; r++) {
            int total = 0;
            for (int k = 0; k < drawn.length; k++) {
                drawn[k] = random.nextInt(drawn.length);
                total += unitScores[drawn[k]].length;
            }
            double[] scores = new double[total];
            int[] labels = new int[total];
            double[] thresholds = new double[total];
            int at = 0;
            for (int unit : drawn) {
                int len = unitScores[unit].length;
                System.arraycopy(unitScores[unit], 0, scores, at, len);
                System.arraycopy(unitLabels[unit], 0, labels, at, len);
                Arrays.fill(thresholds, at, at + len, unitThresholds[unit]);
                at += len;
            }
            tally.add(scores, labels, thresholds);
        }
        return tally.intervals(settings.confidence(), b);
    }

    /** The defined values of every metric over the resamples. */
    private static final class Tally {
        private final Collector acc;
        private final Collector sens;
        private final Collector spec;
        private final Collector f1;
        private final Collector kappa;
        private final Collector auroc;

        Tally(int capacity) {
            acc = new Collector(capacity);
            sens = new Collector(capacity);
            spec = new Collector(capacity);
            f1 = new Collector(capacity);
            kappa = new Collector(capacity);
            auroc = new Collector(capacity);
        }

        void add(double[] scores, int[] labels, double[] thresholds) {
            ConfusionMatrix cm = ConfusionMatrix.of(scores, labels, thresholds);
            acc.add(cm.accuracy());
            f1.add(cm.f1());
            if (cm.tp() + cm.fn() > 0) {
                sens.add(cm.sensitivity());
            }
            if (cm.tn() + cm.fp() > 0) {
                spec.add(cm.specificity());
            }
            kappa.add(cm.kappa());
            auroc.add(Ranking.of(scores, labels).auroc());
        }

        MetricIntervals intervals(double confidence, int resamples) {
            return new MetricIntervals(acc.interval(confidence), sens.interval(confidence),
                    spec.interval(confidence), f1.interval(confidence), kappa.interval(confidence),
                    auroc.interval(confidence), resamples);
        }
    }

    /** The defined values of one metric over the resamples. */
    private static final class Collector {
        private final double[] values;
        private int size;

        Collector(int capacity) {
            values = new double[capacity];
        }

        void add(Double value) {
            if (value != null) {
                values[size++] = value;
            }
        }

        Interval interval(double confidence) {
            if (size == 0) {
                return null;
            }
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            double alpha = (1.0 - confidence) / 2.0;
            return new Interval(quantile(sorted, alpha), quantile(sorted, 1.0 - alpha), size);
        }
    }

    /** Linear interpolation between order statistics, as numpy's default {@code percentile}. */
    static double quantile(double[] sorted, double q) {
        double h = q * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
