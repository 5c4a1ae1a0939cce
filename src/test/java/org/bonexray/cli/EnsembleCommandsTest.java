package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.explain.Heatmap;
import org.bonexray.explain.HeatmapExplainer;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.model.Ensembles;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.predict.ViewScores;
import org.bonexray.runtime.Precision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ensembles end to end on a synthetic sample: {@code train --ensemble 2} (tiny networks, one epoch), the ensemble's
 * predictions against its members' (predict, evaluate, the service's batched path, explain), {@code bonexray
 * ensemble} and the refusals of what cannot be an ensemble.
 */
@Timeout(300)
class EnsembleCommandsTest {
    @TempDir
    static Path tmp;
    static Path root;
    static Path run;
    static Path ensemble;
    static List<Path> members;

    @BeforeAll
    static void trainOnce() {
        SyntheticMuraGenerator.generate(tmp, new SampleSpec(11, 10, 2, 64, 96, 0.5), null);
        root = SyntheticMuraGenerator.datasetDir(tmp);
        run = tmp.resolve("run");
        CommandRunner r = train();
        assertEquals(0, r.exitCode, r.toString());
        ensemble = run.resolve("model");
        members = List.of(run.resolve("members/00/model"), run.resolve("members/01/model"));
    }

    private static CommandRunner train() {
        return CommandRunner.run("train", "--preset", "demo", "--backbone", "tiny", "--data", root.toString(),
                "--run-dir", run.toString(), "--epochs", "1", "--image-size", "32", "--batch-size", "8", "--threads", "2",
                "--ensemble", "2");
    }

    @Test
    void trainEnsembleWritesMembersOfDifferentSeedsAndARerunKeepsThem() throws Exception {
        JsonNode description = Json.MAPPER.readTree(ensemble.resolve("model.json").toFile());
        assertEquals(ModelArtifact.ENSEMBLE_FORMAT, description.path("format").asInt());
        assertEquals(List.of("members/00", "members/01"), Json.MAPPER.convertValue(description.path("members"), List.class));
        long seed0 = ModelArtifact.readManifest(members.get(0)).path("config").path("model").path("seed").asLong();
        long seed1 = ModelArtifact.readManifest(members.get(1)).path("config").path("model").path("seed").asLong();
        assertEquals(seed0 + 1, seed1, "members differ in their initialisation seed");
        assertNotEquals(ModelArtifact.id(members.get(0)), ModelArtifact.id(members.get(1)));
        JsonNode split = ModelArtifact.readManifest(ensemble).path("validationSplit");
        assertTrue(split.path("validationFraction").isNumber(), "members share one validation split: " + split);

        String id = ModelArtifact.id(ensemble);
        long modified = Files.getLastModifiedTime(run.resolve("members/00/model/weights.params")).toMillis();
        CommandRunner again = train();
        assertEquals(0, again.exitCode, again.toString());
        assertTrue(again.out.contains("Ensemble member 1/2 (model seed " + seed0 + "): already trained"), again.out);
        assertTrue(again.out.contains("Ensemble member 2/2 (model seed " + seed1 + "): already trained"), again.out);
        assertEquals(modified, Files.getLastModifiedTime(run.resolve("members/00/model/weights.params")).toMillis());
        assertEquals(id, ModelArtifact.id(ensemble), "the same members make the same ensemble");
    }

    @Test
    void aFoldsEnsembleHoldsOutOtherPatientsPerMemberAndHasNoHeldOutPatientsOfItsOwn() throws Exception {
        Path folds = tmp.resolve("folds");
        CommandRunner r = CommandRunner.run("train", "--preset", "demo", "--backbone", "tiny", "--data", root.toString(),
                "--run-dir", folds.toString(), "--epochs", "1", "--image-size", "32", "--batch-size", "8", "--threads",
                "2", "--ensemble", "2", "--ensemble-split", "folds");
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("Ensemble member 2/2 (validation fold 1)"), r.out);
        int heldOut = 0;
        int total = -1;
        for (int i = 0; i < 2; i++) {
            JsonNode manifest = ModelArtifact.readManifest(folds.resolve(Ensembles.memberFolder(i)).resolve("model"));
            JsonNode config = manifest.path("config");
            assertEquals(2, config.path("validationFold").path("folds").asInt(), config.toString());
            assertEquals(i, config.path("validationFold").path("fold").asInt(), config.toString());
            assertEquals(0.5, config.path("validationFraction").asDouble(), 0, "the fraction reads as the fold's share");
            assertEquals(ModelArtifact.readManifest(members.get(0)).path("config").path("model").path("seed"),
                    config.path("model").path("seed"), "folds members differ in their patients, not their seed");
            JsonNode counts = manifest.path("counts");
            heldOut += counts.path("validationPatients").asInt();
            int patients = counts.path("trainPatients").asInt() + counts.path("validationPatients").asInt();
            assertTrue(total < 0 || total == patients, "every member splits the same patients");
            total = patients;
        }
        assertEquals(total, heldOut, "every training patient validates exactly one member");
        Path model = folds.resolve("model");
        assertTrue(ModelArtifact.readManifest(model).path(Ensembles.VALIDATION_SPLIT).isMissingNode(),
                "members held out other patients: the ensemble has none of its own");

        CommandRunner calibrate = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(),
                "--out", tmp.resolve("eval-folds").toString(), "--bootstrap", "0", "--calibrate");
        assertNotEquals(0, calibrate.exitCode, calibrate.toString());
        assertTrue(calibrate.err.contains("a folds ensemble's members each held out other patients"), calibrate.err);

        Path member = folds.resolve(Ensembles.memberFolder(1)).resolve("model");
        Path out = tmp.resolve("eval-fold-member");
        CommandRunner one = CommandRunner.run("evaluate", "--model", member.toString(), "--data", root.toString(),
                "--out", out.toString(), "--bootstrap", "0", "--precision", "fp32", "--calibrate");
        assertEquals(0, one.exitCode, one.toString());
        assertEquals(ModelArtifact.readManifest(member).path("counts").path("validationImages").asInt(),
                Json.MAPPER.readTree(out.resolve("metrics.json").toFile()).path("calibration").path("validationImages")
                        .asInt(), "a member is calibrated on its own fold's patients");
        assertEquals(ExitCodes.USAGE, CommandRunner.run("train", "--data", root.toString(), "--ensemble-split", "folds")
                .exitCode, "folds need --ensemble N >= 2");
    }

    @Test
    void predictGivesTheMeanOfTheMembersAndTheirSpread() throws Exception {
        String study = firstStudy();
        JsonNode whole = predict(ensemble, study);
        JsonNode a = predict(members.get(0), study);
        JsonNode b = predict(members.get(1), study);
        assertFalse(a.has("spread"), "a single network's answer is as it was: " + a);
        for (int i = 0; i < whole.get("images").size(); i++) {
            double mean = (image(a, i) + image(b, i)) / 2;
            assertEquals(mean, image(whole, i), 1e-6, "view " + i);
        }
        double pa = a.get("probability").asDouble();
        double pb = b.get("probability").asDouble();
        assertEquals((pa + pb) / 2, whole.get("probability").asDouble(), 1e-6, "mean rule: the mean of the members' studies");
        JsonNode spread = whole.get("spread");
        assertEquals(2, spread.get("members").asInt());
        assertEquals(Math.abs(pa - pb) / 2, spread.get("sd").asDouble(), 1e-6, "population sd of two values");
        assertEquals(Math.min(pa, pb), spread.get("min").asDouble(), 1e-6);
        assertEquals(Math.max(pa, pb), spread.get("max").asDouble(), 1e-6);
    }

    @Test
    void evaluateScoresEveryImageAsTheMeanAndReportsEachMember() throws Exception {
        Path outA = evaluate(members.get(0), "eval-a");
        Path outB = evaluate(members.get(1), "eval-b");
        Path out = evaluate(ensemble, "eval-ensemble");
        Map<String, Double> a = imageProbabilities(outA);
        Map<String, Double> b = imageProbabilities(outB);
        Map<String, Double> whole = imageProbabilities(out);
        assertEquals(a.keySet(), whole.keySet());
        whole.forEach((image, p) -> assertEquals((a.get(image) + b.get(image)) / 2, p, 1e-6, image));

        JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        JsonNode report = metrics.path("ensemble");
        assertEquals(2, report.path("members").asInt());
        JsonNode memberA = Json.MAPPER.readTree(outA.resolve("metrics.json").toFile());
        assertEquals(memberA.path("result").path("studyLevel").path("overall").path("metrics").path("kappa").asDouble(),
                report.path("memberResults").get(0).path("kappa").asDouble(), 1e-9, "member 0's own evaluation");

        List<StudyPrediction> sa = PredictionCsv.readStudies(outA.resolve("study_predictions.csv"));
        List<StudyPrediction> sb = PredictionCsv.readStudies(outB.resolve("study_predictions.csv"));
        List<String> spread = Files.readAllLines(out.resolve("study_spread.csv"));
        assertEquals(PredictionCsv.SPREAD_HEADER, spread.get(0));
        assertEquals(sa.size() + 1, spread.size());
        for (int i = 0; i < sa.size(); i++) {
            String[] f = spread.get(i + 1).split(",");
            assertEquals(sa.get(i).studyId(), f[0]);
            assertEquals(Math.abs(sa.get(i).probability() - sb.get(i).probability()) / 2, Double.parseDouble(f[5]), 1e-6);
        }
    }

    @Test
    void anEnsembleOnASharedSplitCanBeCalibratedThere() throws Exception {
        Path copy = tmp.resolve("calibrated");
        assertEquals(0, CommandRunner.run("ensemble", "--models", members.get(0).toString(), members.get(1).toString(),
                "--out", copy.toString()).exitCode);
        CommandRunner r = CommandRunner.run("evaluate", "--model", copy.toString(), "--data", root.toString(), "--out",
                tmp.resolve("eval-calibrated").toString(), "--bootstrap", "0", "--precision", "fp32", "--calibrate",
                "--threshold", "youden", "--save-threshold");
        assertEquals(0, r.exitCode, r.toString());
        ModelArtifact.Description saved = ModelArtifact.readDescription(copy);
        assertNotEquals(1.0, saved.temperature(), "fitted on the members' shared validation patients");
        assertTrue(saved.isEnsemble());
    }

    @Test
    void batchedServiceScoresAndHeatmapsAreTheMembersMeans() throws Exception {
        List<GrayImage> views = studyImages(firstStudy());
        try (LoadedModel whole = ModelArtifact.load(ensemble);
             LoadedModel a = ModelArtifact.load(members.get(0));
             LoadedModel b = ModelArtifact.load(members.get(1));
             StudyPredictor p = new StudyPredictor(whole, null, Precision.FP32, StudyAggregation.MEAN);
             StudyPredictor pa = new StudyPredictor(a, null, Precision.FP32, StudyAggregation.MEAN);
             StudyPredictor pb = new StudyPredictor(b, null, Precision.FP32, StudyAggregation.MEAN)) {
            ViewScores scores = p.scores(views);
            assertArrayEquals(pa.scores(views).model(), scores.members()[0], 1e-6);
            assertArrayEquals(pb.scores(views).model(), scores.members()[1], 1e-6);
            List<StudyPredictor.View> named = views.stream().map(v -> new StudyPredictor.View("v", v, null)).toList();
            StudyPredictor.StudyResult alone = p.predict("s", named);
            StudyPredictor.StudyResult sliced = p.result("s", null, named, scores.slice(0, views.size()));
            assertEquals(alone.probability(), sliced.probability(), 1e-9);
            assertEquals(alone.spread().sd(), sliced.spread().sd(), 1e-9);

            HeatmapExplainer explainer = new HeatmapExplainer(null);
            Heatmap mean = explainer.explain(whole, views.get(0), HeatmapExplainer.Method.GRAD_CAM);
            Heatmap ma = explainer.explain(a, views.get(0), HeatmapExplainer.Method.GRAD_CAM);
            Heatmap mb = explainer.explain(b, views.get(0), HeatmapExplainer.Method.GRAD_CAM);
            for (int i = 0; i < mean.grid().length; i++) {
                assertEquals((ma.grid()[i] + mb.grid()[i]) / 2, mean.grid()[i], 1e-5, "grid cell " + i);
            }
            assertEquals((ma.probability() + mb.probability()) / 2, mean.probability(), 1e-6);
        }
    }

    @Test
    void anEnsembleOfOneIsItsMember() throws Exception {
        Path one = tmp.resolve("one");
        CommandRunner r = CommandRunner.run("ensemble", "--models", run.resolve("members/00").toString(), "--out",
                one.toString());
        assertEquals(0, r.exitCode, r.toString());
        String study = firstStudy();
        JsonNode alone = predict(members.get(0), study);
        JsonNode asEnsemble = predict(one, study);
        assertEquals(alone.get("probability").asDouble(), asEnsemble.get("probability").asDouble(), 0,
                "the mean of one is the value itself");
        assertEquals(0, asEnsemble.get("spread").get("sd").asDouble(), 0);
        assertEquals(ExitCodes.USAGE, CommandRunner.run("ensemble", "--models", members.get(0).toString(), "--out",
                one.toString()).exitCode, "an existing folder is not overwritten");
    }

    @Test
    void whatCannotBeAnEnsembleIsRefusedByName() throws Exception {
        Path other = tmp.resolve("other-size");
        Files.createDirectories(other);
        for (String f : List.of("model.json", "weights.params")) {
            Files.copy(members.get(1).resolve(f), other.resolve(f));
        }
        ObjectNode d = (ObjectNode) Json.MAPPER.readTree(other.resolve("model.json").toFile());
        ((ObjectNode) d.get("preprocessing")).put("size", 48);
        AtomicFiles.writeJson(other.resolve("model.json"), d);
        CommandRunner mismatch = CommandRunner.run("ensemble", "--models", members.get(0).toString(), other.toString(),
                "--out", tmp.resolve("never").toString());
        assertEquals(ExitCodes.BAD_DATA, mismatch.exitCode, mismatch.toString());
        assertTrue(mismatch.err.contains(other.toString()) && mismatch.err.contains("size 48 (expected 32)"), mismatch.err);
        assertFalse(Files.exists(tmp.resolve("never")), "nothing is written");

        assertEquals(ExitCodes.BAD_DATA, CommandRunner.run("ensemble", "--models", ensemble.toString(), "--out",
                tmp.resolve("nested").toString()).exitCode, "an ensemble is not a member");

        Path broken = tmp.resolve("broken");
        assertEquals(0, CommandRunner.run("ensemble", "--models", members.get(0).toString(), members.get(1).toString(),
                "--out", broken.toString()).exitCode);
        Files.delete(broken.resolve("members/01/weights.params"));
        CommandRunner missing = CommandRunner.run("predict", "--model", broken.toString(), root.resolve(firstStudy()).toString());
        assertEquals(ExitCodes.BAD_DATA, missing.exitCode, missing.toString());
        assertTrue(missing.err.contains(broken.resolve("members/01").toString()), missing.err);

        ObjectNode escape = (ObjectNode) Json.MAPPER.readTree(broken.resolve("model.json").toFile());
        escape.putArray("members").add("members/00").add("../run/model");
        AtomicFiles.writeJson(broken.resolve("model.json"), escape);
        CommandRunner outside = CommandRunner.run("predict", "--model", broken.toString(), root.resolve(firstStudy()).toString());
        assertEquals(ExitCodes.BAD_DATA, outside.exitCode, outside.toString());
        assertTrue(outside.err.contains("'../run/model' is not a folder inside the ensemble"), outside.err);

        escape.put("format", 3);
        AtomicFiles.writeJson(broken.resolve("model.json"), escape);
        CommandRunner future = CommandRunner.run("predict", "--model", broken.toString(), root.resolve(firstStudy()).toString());
        assertEquals(ExitCodes.BAD_DATA, future.exitCode);
        assertTrue(future.err.contains("model format 3 is not supported"), future.err);

        CommandRunner export = CommandRunner.run("export", "--model", ensemble.toString(), "--out",
                tmp.resolve("export").toString());
        assertEquals(ExitCodes.USAGE, export.exitCode, export.toString());
        assertTrue(export.err.contains("is an ensemble of 2"), export.err);
    }

    private static String firstStudy() {
        return PredictionCsv.readStudies(evaluateOnce()).get(0).studyId();
    }

    private static Path cachedStudies;

    private static synchronized Path evaluateOnce() {
        if (cachedStudies == null) {
            cachedStudies = evaluate(members.get(0), "eval-first").resolve("study_predictions.csv");
        }
        return cachedStudies;
    }

    private static Path evaluate(Path model, String name) {
        Path out = tmp.resolve(name);
        if (Files.isRegularFile(out.resolve("metrics.json"))) {
            return out;
        }
        CommandRunner r = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(), "--out",
                out.toString(), "--bootstrap", "0", "--precision", "fp32", "--threshold", "0.5");
        assertEquals(0, r.exitCode, r.toString());
        return out;
    }

    private static Map<String, Double> imageProbabilities(Path evalDir) throws IOException {
        Map<String, Double> out = new HashMap<>();
        List<String> lines = Files.readAllLines(evalDir.resolve("image_predictions.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.put(f[0], Double.parseDouble(f[4]));
        }
        return out;
    }

    private static List<GrayImage> studyImages(String study) throws IOException {
        try (var files = Files.list(root.resolve(study))) {
            return files.sorted().map(ImageDecoder::decode).toList();
        }
    }

    private static double image(JsonNode result, int i) {
        return result.get("images").get(i).get("probability").asDouble();
    }

    private static JsonNode predict(Path model, String study) throws IOException {
        CommandRunner r = CommandRunner.run("predict", "--model", model.toString(), "--json", "--precision", "fp32",
                root.resolve(study).toString());
        assertEquals(0, r.exitCode, r.toString());
        return Json.MAPPER.readTree(r.out).get(0);
    }
}
