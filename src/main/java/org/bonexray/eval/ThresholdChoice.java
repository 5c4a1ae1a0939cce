package org.bonexray.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.bonexray.data.BodyPart;

/**
 * How the decision threshold is chosen: fixed (MURA's 0.5 by default), by Youden's J on validation studies, or by
 * Youden's J per body part (each part with enough validation studies of both classes gets its own threshold; the
 * others use the overall one).
 *
 * @param method     the rule
 * @param fixedValue the threshold of {@link Method#FIXED}; ignored by the Youden rules
 */
public record ThresholdChoice(Method method, double fixedValue) {

    /** The rules. */
    public enum Method { FIXED, YOUDEN, YOUDEN_PER_PART }

    /** MURA's threshold: abnormal when the probability is above 0.5. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    /**
     * Least validation studies of each class a body part needs for a threshold of its own: below it, a part's J
     * maximum is mostly noise (with 3 abnormal studies, J moves in steps of a third), so it keeps the overall one.
     */
    public static final int MIN_PER_CLASS = 10;

    public ThresholdChoice {
        Objects.requireNonNull(method, "method");
        Probabilities.checkThreshold(fixedValue);
    }

    public static ThresholdChoice fixed(double threshold) {
        return new ThresholdChoice(Method.FIXED, threshold);
    }

    /** The fixed 0.5 of MURA. */
    public static ThresholdChoice defaultChoice() {
        return fixed(DEFAULT_THRESHOLD);
    }

    public static ThresholdChoice youden() {
        return new ThresholdChoice(Method.YOUDEN, DEFAULT_THRESHOLD);
    }

    /** Youden's J per body part, the overall J for parts with too few validation studies. */
    public static ThresholdChoice youdenPerPart() {
        return new ThresholdChoice(Method.YOUDEN_PER_PART, DEFAULT_THRESHOLD);
    }

    /**
     * @param text a number in [0, 1], {@code youden} or {@code youden-per-part}
     * @return the rule
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ThresholdChoice parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("youden")) {
            return youden();
        }
        if (t.equals("youden-per-part")) {
            return youdenPerPart();
        }
        try {
            return fixed(Double.parseDouble(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a threshold is a number in [0, 1], youden or youden-per-part, got '"
                    + text + "'");
        }
    }

    /** Whether the rule needs validation studies. */
    public boolean tuned() {
        return method != Method.FIXED;
    }

    /**
     * Chooses the threshold; {@code validation} is read only by Youden's method and must then hold both
     * classes. Never pass the studies being evaluated, or the reported metrics are optimistic.
     */
    public ChosenThreshold choose(List<StudyPrediction> validation) {
        if (method == Method.FIXED) {
            return new ChosenThreshold(fixedValue, method, 0, null,
                    String.format(Locale.ROOT, "fixed threshold %s: abnormal when p > %s", fixedValue, fixedValue));
        }
        ChosenThreshold overall = youden(validation);
        return method == Method.YOUDEN ? overall : perPart(validation, overall);
    }

    /** Youden's J within each body part that has {@link #MIN_PER_CLASS} validation studies of each class. */
    private static ChosenThreshold perPart(List<StudyPrediction> validation, ChosenThreshold overall) {
        Map<BodyPart, List<StudyPrediction>> byPart = new EnumMap<>(BodyPart.class);
        validation.forEach(s -> byPart.computeIfAbsent(s.bodyPart(), k -> new ArrayList<>()).add(s));
        Map<BodyPart, Double> own = new EnumMap<>(BodyPart.class);
        List<String> words = new ArrayList<>();
        for (Map.Entry<BodyPart, List<StudyPrediction>> e : byPart.entrySet()) {
            long abnormal = e.getValue().stream().filter(s -> s.label().isAbnormal()).count();
            long normal = e.getValue().size() - abnormal;
            if (abnormal >= MIN_PER_CLASS && normal >= MIN_PER_CLASS) {
                ChosenThreshold part = youden(e.getValue());
                own.put(e.getKey(), part.value());
                words.add(String.format(Locale.ROOT, "%s %.6f (J = %.4f, %d studies)", e.getKey(), part.value(),
                        part.youdenJ(), e.getValue().size()));
            } else {
                words.add(String.format(Locale.ROOT, "%s overall (%d abnormal, %d normal: too few)", e.getKey(),
                        abnormal, normal));
            }
        }
        String text = overall.description() + "; per body part: " + String.join(", ", words);
        return new ChosenThreshold(overall.value(), Method.YOUDEN_PER_PART, overall.validationStudies(),
                overall.youdenJ(), text, own);
    }

    /**
     * Maximises J = TPR - FPR over the ROC points of the validation studies. The ROC point of score s means
     * "abnormal when p >= s"; under our rule "p > t" the same decisions come from any t between s and the
     * next lower distinct score, and the midpoint is taken so that small shifts of scores do not flip it. Ties
     * in J keep the highest threshold (the most conservative call). J is never below 0, the value of calling
     * everything normal (threshold 1).
     */
    private static ChosenThreshold youden(List<StudyPrediction> validation) {
        double[] scores = validation.stream().mapToDouble(StudyPrediction::probability).toArray();
        int[] labels = validation.stream().mapToInt(s -> s.label().value()).toArray();
        if (scores.length == 0) {
            throw new IllegalArgumentException("Youden's J needs validation studies, got none");
        }
        BinaryMetrics.checkInput(scores, labels);
        Ranking r = Ranking.of(scores, labels);
        if (!r.bothClasses()) {
            throw new IllegalArgumentException("Youden's J needs normal and abnormal validation studies, got "
                    + r.positives() + " abnormal of " + scores.length);
        }
        double bestJ = 0.0;
        double threshold = 1.0;
        for (int k = 0; k < r.size - 1; k++) {
            double j = (double) r.tps[k] / r.positives() - (double) r.fps[k] / r.negatives();
            if (j > bestJ) {
                bestJ = j;
                threshold = (r.thresholds[k] + r.thresholds[k + 1]) / 2.0;
            }
        }
        String text = String.format(Locale.ROOT,
                "Youden's J on %d validation studies: threshold %.6f (J = %.4f), abnormal when p > threshold",
                scores.length, threshold, bestJ);
        return new ChosenThreshold(threshold, Method.YOUDEN, scores.length, bestJ, text);
    }
}
