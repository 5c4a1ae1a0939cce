package org.bonexray.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bonexray.io.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Compares every metric with scikit-learn's on the cases of tools/make_metric_fixtures.py. */
class BinaryMetricsSklearnTest {
    private static final double TOL = 1e-9;

    static JsonNode fixture() throws IOException {
        try (InputStream in = BinaryMetricsSklearnTest.class.getResourceAsStream("/fixtures/metrics_sklearn.json")) {
            assertNotNull(in, "fixture missing");
            return Json.MAPPER.readTree(in);
        }
    }

    @Test
    void fixtureCoversTheDegenerateCases() throws IOException {
        List<String> names = new ArrayList<>();
        fixture().get("cases").forEach(c -> names.add(c.get("name").asText()));
        for (String needed : List.of("all_negative", "all_positive", "perfect", "inverted", "tiny_2", "tiny_3",
                "heavy_ties", "large_5000_rounded")) {
            assertTrue(names.contains(needed), needed);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyMetricEqualsScikitLearn() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixture().get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
        }
        return tests.stream();
    }

    private static void check(JsonNode c) {
        double[] scores = doubles(c.get("scores"));
        int[] labels = new int[c.get("labels").size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = c.get("labels").get(i).asInt();
        }
        JsonNode e = c.get("expected");
        BinaryMetrics m = BinaryMetrics.compute(scores, labels, c.get("threshold").asDouble());
        assertEquals(e.get("n").asInt(), m.n());
        assertEquals(e.get("positives").asInt(), m.positives());
        assertEquals(new ConfusionMatrix(e.get("tp").asInt(), e.get("fp").asInt(), e.get("tn").asInt(),
                e.get("fn").asInt()), m.confusion());
        assertEquals(e.get("accuracy").asDouble(), m.accuracy(), TOL, "accuracy");
        assertEquals(e.get("sensitivity").asDouble(), m.sensitivity(), TOL, "sensitivity");
        assertEquals(e.get("specificity").asDouble(), m.specificity(), TOL, "specificity");
        assertEquals(e.get("precision").asDouble(), m.precision(), TOL, "precision");
        assertEquals(e.get("f1").asDouble(), m.f1(), TOL, "f1");
        assertEquals(e.get("brier").asDouble(), m.brier(), TOL, "brier");
        assertEquals(e.get("ece").asDouble(), m.ece(), TOL, "ece");
        assertOptional(e.get("kappa"), m.kappa(), "kappa");
        assertOptional(e.get("auroc"), m.auroc(), "auroc");
        assertOptional(e.get("averagePrecision"), m.averagePrecision(), "averagePrecision");
        if (e.get("roc").isNull()) {
            assertNull(m.roc(), "roc must be undefined");
        } else {
            assertNotNull(m.roc(), "roc must be defined");
            assertList(doubles(e.get("roc").get("fpr")), m.roc().fpr(), "fpr");
            assertList(doubles(e.get("roc").get("tpr")), m.roc().tpr(), "tpr");
            assertList(doubles(e.get("roc").get("thresholds")), m.roc().thresholds(), "thresholds");
        }
    }

    private static void assertOptional(JsonNode expected, Double actual, String what) {
        if (expected.isNull()) {
            assertNull(actual, what + " must be undefined");
        } else {
            assertNotNull(actual, what + " must be defined");
            assertEquals(expected.asDouble(), actual, TOL, what);
        }
    }

    private static void assertList(double[] expected, List<Double> actual, String what) {
        assertEquals(expected.length, actual.size(), what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.get(i), TOL, what + "[" + i + "]");
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
