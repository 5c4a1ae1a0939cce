package org.bonexray.eval;

import static org.bonexray.data.BodyPart.ELBOW;
import static org.bonexray.data.BodyPart.HAND;
import static org.bonexray.data.BodyPart.WRIST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
    private static final BootstrapSettings BOOT = new BootstrapSettings(200, 5L, 0.95);
    private static final List<ImagePrediction> IMAGES = withAllNormalHand(
            Synthetic.images(160, 21L, List.of(ELBOW, WRIST)));

    /** Adds three all-normal HAND studies, so that one body part has undefined AUROC and kappa. */
    private static List<ImagePrediction> withAllNormalHand(List<ImagePrediction> images) {
        List<ImagePrediction> out = new ArrayList<>(images);
        for (int s = 0; s < 3; s++) {
            out.add(new ImagePrediction("h" + s + "/1.png", "h" + s, HAND, Label.NORMAL, 0.1 + 0.1 * s));
        }
        return out;
    }

    private static EvaluationResult evaluate() {
        ChosenThreshold t = ThresholdChoice.defaultChoice().choose(List.of());
        return new Evaluation(StudyAggregation.MEAN, t, BOOT).evaluate(IMAGES);
    }

    @Test
    void reportsOnlyTheBodyPartsPresentWithTheirCounts() {
        EvaluationResult r = evaluate();
        List<BodyPart> parts = r.studyLevel().byBodyPart().stream().map(GroupResult::bodyPart).toList();
        assertEquals(List.of(ELBOW, HAND, WRIST), parts);
        assertEquals(parts, r.imageLevel().byBodyPart().stream().map(GroupResult::bodyPart).toList());
        assertNull(r.studyLevel().overall().bodyPart());
        assertEquals(163, r.studyLevel().overall().studies());
        assertEquals(IMAGES.size(), r.studyLevel().overall().images());
        assertEquals(IMAGES.size(), r.imageLevel().overall().metrics().n());
        assertEquals(163, r.studyLevel().overall().metrics().n());
        int partStudies = r.studyLevel().byBodyPart().stream().mapToInt(GroupResult::studies).sum();
        int partImages = r.imageLevel().byBodyPart().stream().mapToInt(GroupResult::images).sum();
        assertEquals(163, partStudies);
        assertEquals(IMAGES.size(), partImages);
    }

    @Test
    void studyLevelUsesTheAggregatedProbabilities() {
        EvaluationResult r = evaluate();
        BinaryMetrics expected = Evaluation.studyMetrics(StudyAggregation.MEAN.aggregate(IMAGES), 0.5);
        assertEquals(expected, r.studyLevel().overall().metrics());
        EvaluationResult max = new Evaluation(StudyAggregation.MAX, r.threshold(), BOOT).evaluate(IMAGES);
        assertFalse(max.studyLevel().overall().metrics().equals(r.studyLevel().overall().metrics()));
        assertEquals(r.imageLevel(), max.imageLevel(), "image level does not depend on aggregation");
    }

    @Test
    void aOneClassBodyPartHasUndefinedRankingMetrics() {
        GroupResult hand = evaluate().studyLevel().byBodyPart().get(1);
        assertEquals(HAND, hand.bodyPart());
        assertNull(hand.metrics().auroc());
        assertNull(hand.metrics().averagePrecision());
        assertNull(hand.metrics().roc());
        assertNull(hand.metrics().kappa(), "all normal and all predicted normal: expected agreement 1");
        assertNull(hand.intervals().auroc());
        assertEquals(1.0, hand.metrics().accuracy());
    }

    @Test
    void tableHasARowPerPartPlusAllAndNoNaN() {
        String table = MetricsTable.render(evaluate());
        assertFalse(table.contains("NaN"), table);
        assertTrue(table.contains("n/a"), table);
        for (String row : List.of("Elbow", "Hand", "Wrist", "All")) {
            assertEquals(2, table.lines().filter(l -> l.startsWith(row + " ")).count(), row + " in both tables");
        }
        for (String col : List.of("Studies", "Images", "Accuracy", "Sensitivity", "Specificity", "F1", "Kappa",
                "AUROC")) {
            assertTrue(table.contains(col), col);
        }
        assertTrue(table.contains("95% CI from 200 study resamples"), table);
        String all = table.lines().filter(l -> l.startsWith("All ")).findFirst().orElseThrow();
        assertTrue(all.matches("All\\s+163\\s+" + IMAGES.size() + "\\s+\\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}].*"),
                all);
        assertFalse(table.lines().anyMatch(l -> l.endsWith(" ")), "no trailing spaces");
        List<String> lines = table.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Body part")) {
                assertColumnsAligned(lines.get(i), lines.subList(i + 1, i + 5));
            }
        }
    }

    /** Every value starts exactly under its column's header. */
    private static void assertColumnsAligned(String header, List<String> rows) {
        for (String column : List.of("Studies", "Images", "Accuracy", "Sensitivity", "Specificity", "F1", "Kappa",
                "AUROC")) {
            int end = header.indexOf(column) + column.length();
            int start = header.indexOf(column);
            for (String row : rows) {
                boolean numeric = column.startsWith("Studies") || column.startsWith("Images");
                int at = numeric ? end - 1 : start;
                assertTrue(row.charAt(at) != ' ' && row.charAt(numeric ? end : start - 1) == ' ',
                        column + " misaligned in: " + row);
            }
        }
    }

    @Test
    void jsonRoundTripGivesAnEqualResult(@TempDir Path dir) throws Exception {
        EvaluationResult r = evaluate();
        Path file = dir.resolve("metrics.json");
        AtomicFiles.writeJson(file, r);
        assertEquals(r, Json.MAPPER.readValue(file.toFile(), EvaluationResult.class));
        JsonNode tree = Json.MAPPER.readTree(file.toFile());
        JsonNode hand = tree.get("studyLevel").get("byBodyPart").get(1);
        assertTrue(hand.get("metrics").get("auroc").isNull(), "undefined is null in JSON");
        assertEquals("YOUDEN", Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(
                new ChosenThreshold(0.4, ThresholdChoice.Method.YOUDEN, 10, 0.3, "x"))).get("method").asText());
        for (String field : List.of("aggregation", "threshold", "bootstrap", "imageLevel", "studyLevel")) {
            assertNotNull(tree.get(field), field);
        }
        assertFalse(Files.readString(file).contains("NaN"));
    }

    @Test
    void metricsRecomputedFromTheStudyCsvAreTheSame(@TempDir Path dir) {
        EvaluationResult r = evaluate();
        List<StudyPrediction> studies = StudyAggregation.MEAN.aggregate(IMAGES);
        Path csv = dir.resolve("studies.csv");
        PredictionCsv.writeStudies(csv, studies, r.threshold().value());
        List<StudyPrediction> back = PredictionCsv.readStudies(csv);
        assertEquals(studies, back);
        assertEquals(r.studyLevel().overall().metrics(), Evaluation.studyMetrics(back, r.threshold().value()));
    }

    @Test
    void csvFilesHaveHeadersAndPredictedColumns(@TempDir Path dir) throws Exception {
        List<ImagePrediction> images = List.of(
                new ImagePrediction("x,1.png", "s,1", WRIST, Label.ABNORMAL, 0.5),
                new ImagePrediction("x2.png", "s,1", WRIST, Label.ABNORMAL, 0.75));
        Path imageCsv = dir.resolve("images.csv");
        PredictionCsv.writeImages(imageCsv, images, 0.5);
        List<String> lines = Files.readAllLines(imageCsv);
        assertEquals(PredictionCsv.IMAGE_HEADER, lines.get(0));
        assertEquals("\"x,1.png\",\"s,1\",XR_WRIST,1,0.5,0", lines.get(1), "p = threshold is normal");
        assertEquals("x2.png,\"s,1\",XR_WRIST,1,0.75,1", lines.get(2));
        Path studyCsv = dir.resolve("studies.csv");
        List<StudyPrediction> studies = StudyAggregation.MEAN.aggregate(images);
        PredictionCsv.writeStudies(studyCsv, studies, 0.5);
        assertEquals(List.of(PredictionCsv.STUDY_HEADER, "\"s,1\",XR_WRIST,1,0.625,1,2"), Files.readAllLines(studyCsv));
        assertEquals(studies, PredictionCsv.readStudies(studyCsv));
    }
}
