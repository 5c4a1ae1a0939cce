package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.eval.BinaryMetrics;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, predict and evaluate through the command line on a small synthetic sample. */
class ModelCommandsTest {
    @TempDir
    static Path tmp;
    static Path root;
    static Path model;

    @BeforeAll
    static void trainOnce() {
        SyntheticMuraGenerator.generate(tmp, new SampleSpec(11, 5, 2, 64, 96, 0.5), null);
        root = SyntheticMuraGenerator.datasetDir(tmp);
        CommandRunner r = CommandRunner.run("train", "--preset", "demo", "--backbone", "tiny", "--data", root.toString(), "--run-dir",
                tmp.resolve("run").toString(), "--epochs", "1", "--image-size", "32", "--batch-size", "8", "--threads", "2");
        assertEquals(0, r.exitCode, r.toString());
        model = tmp.resolve("run/model");
        assertTrue(r.out.contains("Next: bonexray evaluate"), r.out);
    }

    @Test
    void predictsAStudyFolderAndReportsAnUnreadableView() throws Exception {
        Path study = Files.list(root.resolve("valid/XR_WRIST")).findFirst().orElseThrow();
        Path studyDir = Files.list(study).findFirst().orElseThrow();
        CommandRunner ok = CommandRunner.run("predict", "--model", model.toString(), "--json", studyDir.toString());
        assertEquals(0, ok.exitCode, ok.toString());
        JsonNode result = Json.MAPPER.readTree(ok.out).get(0);
        double mean = 0;
        for (JsonNode image : result.get("images")) {
            mean += image.get("probability").asDouble() / result.get("images").size();
        }
        assertEquals(mean, result.get("probability").asDouble(), 1e-9);

        CommandRunner max = CommandRunner.run("predict", "--model", model.toString(), "--json", "--aggregation", "max",
                studyDir.toString());
        assertEquals(0, max.exitCode, max.toString());
        JsonNode maxResult = Json.MAPPER.readTree(max.out).get(0);
        double highest = 0;
        for (JsonNode image : maxResult.get("images")) {
            highest = Math.max(highest, image.get("probability").asDouble());
        }
        assertEquals(highest, maxResult.get("probability").asDouble(), 1e-12);
        assertTrue(result.get("images").size() < 2 || highest >= mean, "max is at least the mean");
        assertEquals(ExitCodes.USAGE, CommandRunner.run("predict", "--model", model.toString(), "--aggregation", "median",
                studyDir.toString()).exitCode);

        Path bad = tmp.resolve("mixed");
        Files.createDirectories(bad);
        Files.copy(Files.list(studyDir).findFirst().orElseThrow(), bad.resolve("image1.png"));
        Files.writeString(bad.resolve("image2.png"), "not a radiograph");
        CommandRunner partial = CommandRunner.run("predict", "--model", model.toString(), bad.toString());
        assertEquals(ExitCodes.BAD_DATA, partial.exitCode, partial.toString());
        assertTrue(partial.err.contains("image2.png"), partial.err);
        assertTrue(partial.out.contains("study probability 0.") || partial.out.contains("study probability 1."), partial.out);
    }

    @Test
    void evaluationNumbersMatchAnIndependentComputationFromTheStudyCsv() throws Exception {
        Path out = tmp.resolve("eval");
        CommandRunner r = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(),
                "--out", out.toString(), "--bootstrap", "50");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("Wrist") || r.out.contains("WRIST"), r.out);
        JsonNode overall = Json.MAPPER.readTree(out.resolve("metrics.json").toFile())
                .path("result").path("studyLevel").path("overall").path("metrics");
        List<StudyPrediction> studies = PredictionCsv.readStudies(out.resolve("study_predictions.csv"));
        BinaryMetrics recomputed = Evaluation.studyMetrics(studies, 0.5);
        assertEquals(14, studies.size());
        assertEquals(recomputed.accuracy(), overall.get("accuracy").asDouble(), 1e-12);
        assertEquals(recomputed.f1(), overall.get("f1").asDouble(), 1e-12);
        if (recomputed.kappa() != null) {
            assertEquals(recomputed.kappa(), overall.get("kappa").asDouble(), 1e-12);
        }
        assertEquals(recomputed.auroc(), overall.get("auroc").asDouble(), 1e-12);
    }

    @Test
    void predictAgreesWithEvaluateAndBf16StaysWithinOneHundredth() throws Exception {
        Path fp32 = tmp.resolve("eval-fp32");
        Path bf16 = tmp.resolve("eval-bf16");
        for (String[] run : List.of(new String[] {"fp32", fp32.toString()}, new String[] {"bf16", bf16.toString()})) {
            CommandRunner r = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(),
                    "--out", run[1], "--bootstrap", "0", "--precision", run[0]);
            assertEquals(0, r.exitCode, r.toString());
            assertEquals(run[0], Json.MAPPER.readTree(Path.of(run[1], "metrics.json").toFile()).path("precision").asText());
        }
        List<StudyPrediction> full = PredictionCsv.readStudies(fp32.resolve("study_predictions.csv"));
        List<StudyPrediction> low = PredictionCsv.readStudies(bf16.resolve("study_predictions.csv"));
        assertEquals(full.size(), low.size());
        for (int i = 0; i < full.size(); i++) {
            assertEquals(full.get(i).studyId(), low.get(i).studyId());
            assertEquals(full.get(i).probability(), low.get(i).probability(), 1e-2, full.get(i).studyId());
        }
        // predict batches a study's views itself (the service's way); evaluate through the dataset: same numbers
        StudyPrediction first = full.get(0);
        Path studyDir = root.resolve(first.studyId());
        for (String precision : List.of("fp32", "bf16")) {
            CommandRunner predicted = CommandRunner.run("predict", "--model", model.toString(), "--json",
                    "--precision", precision, studyDir.toString());
            assertEquals(0, predicted.exitCode, predicted.toString());
            double p = Json.MAPPER.readTree(predicted.out).get(0).get("probability").asDouble();
            assertEquals(first.probability(), p, precision.equals("fp32") ? 1e-5 : 1e-2, precision);
        }
        CommandRunner refused = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(),
                "--precision", "fp8");
        assertEquals(ExitCodes.USAGE, refused.exitCode, refused.toString());
        assertTrue(refused.err.contains("expected fp32, bf16 or auto"), refused.err);
    }

    @Test
    void configFileAndOptionsResolveInOrderAndTyposAreRefused() throws Exception {
        Path yaml = tmp.resolve("c.yaml");
        Files.writeString(yaml, "epochs: 7\noptimizer:\n  learningRate: 0.01\nmodel:\n  head:\n    hiddenWidths: [64]\n");
        CommandRunner r = CommandRunner.run("train", "--data", root.toString(), "--config", yaml.toString(),
                "--lr", "0.02", "--print-config");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode config = Json.MAPPER.readTree(r.out);
        assertEquals(7, config.get("epochs").asInt());
        assertEquals(0.02, config.path("optimizer").path("learningRate").asDouble(), 0);
        assertEquals(64, config.path("model").path("head").path("hiddenWidths").get(0).asInt());
        assertEquals("densenet169", config.path("model").path("variant").path("name").asText());

        Files.writeString(yaml, "epoch: 7\n");
        CommandRunner typo = CommandRunner.run("train", "--data", root.toString(), "--config", yaml.toString(), "--print-config");
        assertEquals(ExitCodes.USAGE, typo.exitCode, typo.toString());
        assertTrue(typo.err.contains("epoch"), typo.err);

        CommandRunner recompute = CommandRunner.run("train", "--data", root.toString(), "--recompute", "sometimes",
                "--print-config");
        assertEquals(ExitCodes.USAGE, recompute.exitCode, recompute.toString());
        assertTrue(recompute.err.contains("--recompute") && recompute.err.contains("auto, always or never"),
                recompute.err);
        // a setting of how, not of what: the configuration a run saves and resumes by does not carry it
        CommandRunner always = CommandRunner.run("train", "--data", root.toString(), "--recompute", "ALWAYS",
                "--print-config");
        assertEquals(0, always.exitCode, always.toString());
        assertEquals(CommandRunner.run("train", "--data", root.toString(), "--print-config").out, always.out);
    }
}
