package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.io.Json;
import org.bonexray.predict.Temperature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** evaluate --tta / --calibrate / --save-threshold and predict --tta on a tiny model trained on a synthetic sample. */
@Timeout(300)
class AccuracyCommandsTest {
    @TempDir
    static Path tmp;
    static Path root;
    static Path model;

    @BeforeAll
    static void trainOnce() {
        SyntheticMuraGenerator.generate(tmp, new SampleSpec(11, 10, 2, 64, 96, 0.5), null);
        root = SyntheticMuraGenerator.datasetDir(tmp);
        CommandRunner r = CommandRunner.run("train", "--preset", "demo", "--backbone", "tiny", "--data", root.toString(),
                "--run-dir", tmp.resolve("run").toString(), "--epochs", "1", "--image-size", "32", "--batch-size", "8",
                "--threads", "2");
        assertEquals(0, r.exitCode, r.toString());
        model = tmp.resolve("run/model");
    }

    @Test
    void ttaIsRecordedAndPredictAgreesWithEvaluate() throws Exception {
        Path out = tmp.resolve("eval-flip");
        CommandRunner r = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(),
                "--out", out.toString(), "--bootstrap", "0", "--precision", "fp32", "--tta", "flip+rotate");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals("flip+rotate", metrics.path("tta").asText());
        StudyPrediction first = PredictionCsv.readStudies(out.resolve("study_predictions.csv")).get(0);
        double plain = studyProbability(model, first.studyId(), "none");
        double viaPredict = studyProbability(model, first.studyId(), "flip+rotate");
        assertEquals(first.probability(), viaPredict, 1e-5, "the dataset path and predict's path average the same views");
        assertNotEquals(plain, viaPredict, "six views of a trained model are not its single view");
        assertEquals(ExitCodes.USAGE, CommandRunner.run("predict", "--model", model.toString(), "--tta", "rotate",
                root.resolve(first.studyId()).toString()).exitCode);
    }

    @Test
    void calibrateSavesTheTemperatureAndThresholdThatPredictThenApplies() throws Exception {
        Path calibrated = copy(model, tmp.resolve("calibrated/model"));
        Path out = tmp.resolve("eval-calibrated");
        CommandRunner r = CommandRunner.run("evaluate", "--model", calibrated.toString(), "--data", root.toString(),
                "--out", out.toString(), "--bootstrap", "0", "--precision", "fp32", "--calibrate", "--threshold", "youden", "--save-threshold");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        JsonNode calibration = metrics.path("calibration");
        JsonNode description = Json.MAPPER.readTree(calibrated.resolve("model.json").toFile());
        double t = description.path("temperature").asDouble();
        assertEquals(calibration.path("temperature").asDouble(), t, 0);
        assertNotEquals(1.0, t, "a trained tiny model is not calibrated to the digit");
        assertTrue(calibration.path("savedInModel").asBoolean(), calibration.toString());
        for (String key : List.of("eceBefore", "eceAfter", "validationEceBefore", "validationEceAfter")) {
            assertTrue(calibration.path(key).isNumber(), key + " in " + calibration);
        }
        assertEquals(metrics.path("result").path("threshold").path("value").asDouble(),
                description.path("threshold").asDouble(), 0, "the Youden threshold is saved as the model's own");
        assertTrue(description.path("calibration").asText().contains("validation images"), description.toString());

        StudyPrediction first = PredictionCsv.readStudies(out.resolve("study_predictions.csv")).get(0);
        JsonNode raw = predict(model, first.studyId(), "none");
        JsonNode scaled = predict(calibrated, first.studyId(), "none");
        for (int i = 0; i < raw.get("images").size(); i++) {
            assertEquals(Temperature.scale(raw.get("images").get(i).get("probability").asDouble(), t),
                    scaled.get("images").get(i).get("probability").asDouble(), 1e-9);
        }
        assertEquals(first.probability(), scaled.get("probability").asDouble(), 1e-5, "evaluate and predict calibrate alike");
        assertEquals(description.path("threshold").asDouble(), scaled.get("threshold").asDouble(), 0);
        CommandRunner refit = CommandRunner.run("evaluate", "--model", calibrated.toString(), "--data", root.toString(),
                "--out", tmp.resolve("eval-refit").toString(), "--bootstrap", "0", "--precision", "fp32", "--calibrate");
        assertEquals(0, refit.exitCode, refit.toString());
        assertEquals(t, Json.MAPPER.readTree(calibrated.resolve("model.json").toFile()).path("temperature").asDouble(),
                1e-9, "a new fit starts from the raw probabilities, so it finds the same temperature");
    }

    private static double studyProbability(Path m, String studyId, String tta) throws IOException {
        return predict(m, studyId, tta).get("probability").asDouble();
    }

    private static JsonNode predict(Path m, String studyId, String tta) throws IOException {
        CommandRunner r = CommandRunner.run("predict", "--model", m.toString(), "--json", "--tta", tta, "--precision", "fp32",
                root.resolve(studyId).toString());
        assertEquals(0, r.exitCode, r.toString());
        return Json.MAPPER.readTree(r.out).get(0);
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            files.forEach(f -> {
                try {
                    Files.copy(f, to.resolve(f.getFileName()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        Files.copy(from.resolveSibling("manifest.json"), to.resolveSibling("manifest.json"));
        return to;
    }
}
