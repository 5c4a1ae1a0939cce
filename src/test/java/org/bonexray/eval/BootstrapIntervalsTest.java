package org.bonexray.eval;

import static org.bonexray.data.BodyPart.WRIST;
import static org.bonexray.data.Label.ABNORMAL;
import static org.bonexray.data.Label.NORMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.bonexray.data.BodyPart;
import org.junit.jupiter.api.Test;

class BootstrapIntervalsTest {
    private static final BootstrapSettings SETTINGS = new BootstrapSettings(400, 7L, 0.95);
    private static final List<Function<MetricIntervals, Interval>> ALL = List.of(MetricIntervals::accuracy,
            MetricIntervals::sensitivity, MetricIntervals::specificity, MetricIntervals::f1,
            MetricIntervals::kappa, MetricIntervals::auroc);

    private static List<StudyPrediction> studies(int n) {
        return StudyAggregation.MEAN.aggregate(Synthetic.images(n, 11L, List.of(BodyPart.values())));
    }

    @Test
    void intervalsContainThePointEstimate() {
        List<StudyPrediction> studies = studies(300);
        BinaryMetrics m = Evaluation.studyMetrics(studies, 0.5);
        MetricIntervals ci = BootstrapIntervals.ofStudies(studies, 0.5, SETTINGS);
        List<Double> points = List.of(m.accuracy(), m.sensitivity(), m.specificity(), m.f1(), m.kappa(), m.auroc());
        for (int i = 0; i < ALL.size(); i++) {
            Interval interval = ALL.get(i).apply(ci);
            assertTrue(interval.contains(points.get(i)), i + ": " + interval + " vs " + points.get(i));
            assertTrue(interval.width() > 0, "a real sample varies");
            assertEquals(400, interval.resamples());
        }
    }

    @Test
    void intervalsNarrowAsTheSampleGrows() {
        MetricIntervals small = BootstrapIntervals.ofStudies(studies(50), 0.5, SETTINGS);
        MetricIntervals large = BootstrapIntervals.ofStudies(studies(2000), 0.5, SETTINGS);
        for (Function<MetricIntervals, Interval> metric : ALL) {
            double ratio = metric.apply(large).width() / metric.apply(small).width();
            // Widths shrink like 1/sqrt(n): sqrt(50/2000) = 0.16.
            assertTrue(ratio < 0.4, "width ratio " + ratio);
        }
    }

    @Test
    void imageLevelIntervalsResampleWholeStudiesAndNarrowToo() {
        List<BodyPart> parts = List.of(WRIST);
        MetricIntervals small = BootstrapIntervals.ofImages(Synthetic.images(50, 3L, parts), 0.5, SETTINGS);
        MetricIntervals large = BootstrapIntervals.ofImages(Synthetic.images(2000, 3L, parts), 0.5, SETTINGS);
        assertTrue(large.auroc().width() < 0.4 * small.auroc().width());
        assertTrue(large.accuracy().width() < 0.4 * small.accuracy().width());
    }

    @Test
    void imageLevelResamplingKeepsStudiesTogether() {
        // Two studies, each internally perfectly consistent: a resample of images would mix them, a resample
        // of studies gives either one study twice (one class: no AUROC) or both (AUROC 1).
        List<ImagePrediction> images = List.of(
                new ImagePrediction("a/1", "a", WRIST, NORMAL, 0.1), new ImagePrediction("a/2", "a", WRIST, NORMAL, 0.2),
                new ImagePrediction("b/1", "b", WRIST, ABNORMAL, 0.8), new ImagePrediction("b/2", "b", WRIST, ABNORMAL, 0.9));
        MetricIntervals ci = BootstrapIntervals.ofImages(images, 0.5, SETTINGS);
        assertEquals(1.0, ci.auroc().lower());
        assertEquals(1.0, ci.auroc().upper());
        assertTrue(ci.auroc().resamples() < 400 && ci.auroc().resamples() > 100, "one-class resamples skipped");
        assertEquals(1.0, ci.accuracy().lower());
    }

    @Test
    void sameSeedSameIntervalsOtherSeedOtherIntervals() {
        List<StudyPrediction> studies = studies(120);
        MetricIntervals a = BootstrapIntervals.ofStudies(studies, 0.5, SETTINGS);
        MetricIntervals b = BootstrapIntervals.ofStudies(studies, 0.5, SETTINGS);
        MetricIntervals c = BootstrapIntervals.ofStudies(studies, 0.5, new BootstrapSettings(400, 8L, 0.95));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void undefinedResamplesAreSkippedAndCounted() {
        List<StudyPrediction> three = List.of(new StudyPrediction("a", WRIST, NORMAL, 0.2, 1),
                new StudyPrediction("b", WRIST, NORMAL, 0.6, 1), new StudyPrediction("c", WRIST, ABNORMAL, 0.7, 1));
        MetricIntervals ci = BootstrapIntervals.ofStudies(three, 0.5, SETTINGS);
        // P(no abnormal study drawn) = (2/3)^3 = 0.30; P(no normal) = (1/3)^3 = 0.04.
        assertEquals(400, ci.accuracy().resamples());
        assertTrue(ci.sensitivity().resamples() < 330 && ci.sensitivity().resamples() > 230);
        assertTrue(ci.specificity().resamples() > 360 && ci.specificity().resamples() < 400);
        assertTrue(ci.auroc().resamples() < ci.sensitivity().resamples());
    }

    @Test
    void allOneClassGivesNoAurocInterval() {
        List<StudyPrediction> normals = List.of(new StudyPrediction("a", WRIST, NORMAL, 0.2, 1),
                new StudyPrediction("b", WRIST, NORMAL, 0.6, 1));
        MetricIntervals ci = BootstrapIntervals.ofStudies(normals, 0.5, SETTINGS);
        assertNull(ci.auroc());
        assertNull(ci.sensitivity());
        assertTrue(ci.specificity().resamples() == 400);
    }

    @Test
    void zeroResamplesTurnIntervalsOff() {
        assertEquals(MetricIntervals.none(), BootstrapIntervals.ofStudies(studies(20), 0.5, BootstrapSettings.none()));
    }

    @Test
    void quantileInterpolatesLikeNumpy() {
        double[] sorted = {1, 2, 3, 4, 5};
        // numpy.percentile([1,2,3,4,5], [2.5, 50, 97.5]) = [1.1, 3.0, 4.9]
        assertEquals(1.1, BootstrapIntervals.quantile(sorted, 0.025), 1e-12);
        assertEquals(3.0, BootstrapIntervals.quantile(sorted, 0.5), 1e-12);
        assertEquals(4.9, BootstrapIntervals.quantile(sorted, 0.975), 1e-12);
    }
}
