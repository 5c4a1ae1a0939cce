package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.PatientSplit;
import org.bonexray.data.Split;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.Json;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;
import org.bonexray.predict.ModelScoring;
import org.bonexray.runtime.Precision;
import org.bonexray.train.optim.ScheduleSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
    @TempDir
    static Path tmp;
    static MuraIndex index;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void data() throws Exception {
        index = MuraIndexLoader.load(SignalTree.write(tmp, 18, 5), LoadOptions.STRICT);
    }

    static TrainConfig config(int epochs) {
        TrainConfig demo = TrainDefaults.demo();
        ModelSpec model = new ModelSpec(DenseNetVariant.TINY, demo.model().head(), demo.model().init(), 3, 32);
        return new TrainConfig(model, "none", demo.freeze(), demo.optimizer(), ScheduleSpec.mura(), true, epochs, 8, 0.25, 3,
                "loss", 0, new Preprocessing(32, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE),
                new RandomAugmentation(0.5, 10, 0, 0), demo.badImages(), Precision.FP32); // pinned: tests compare numbers
    }

    static TrainingResult train(TrainConfig config, Path dir, boolean resume) {
        return new TrainingRun(config, index, dir, 2, QUIET).run(resume);
    }

    @Test
    void pretrainedProvenanceGoesIntoTheManifestAndTheModelCard() throws Exception {
        Path xrv = Path.of(TrainingRunTest.class.getResource("/fixtures/weights/xrv-tiny-densenet.pt").toURI());
        TrainConfig base = config(1);
        TrainConfig config = new TrainConfig(base.model(), xrv.toString(), base.freeze(), base.optimizer(), base.schedule(),
                base.classWeighted(), 1, base.batchSize(), base.validationFraction(), base.seed(), base.selection(),
                base.earlyStoppingPatience(), new Preprocessing(32, ResizeMode.SQUASH, Normalization.XRAY),
                base.augmentation(), base.badImages(), base.precision());
        TrainingResult result = train(config, tmp.resolve("xrv"), false);
        var p = Json.MAPPER.readTree(tmp.resolve("xrv/manifest.json").toFile()).get("pretrained");
        assertEquals("file", p.get("source").asText());
        assertEquals(xrv.toAbsolutePath().toString(), p.get("file").asText());
        assertEquals(org.bonexray.io.Sha256.of(xrv), p.get("sha256").asText());
        assertEquals("torchxrayvision.models.DenseNet", p.get("moduleClass").asText());
        assertEquals("XRAY", p.get("expectedNormalization").asText());
        assertEquals(104, p.get("loaded").asInt());
        assertTrue(p.get("mapping").toString().contains("1 input channel"), p.toString());
        try (LoadedModel model = ModelArtifact.load(result.modelDir())) {
            var card = org.bonexray.serve.ModelCard.of(model, "id").get("pretrained");
            assertEquals("xrv-tiny-densenet.pt", card.get("file").asText(), "the card names the file, not the server's path");
            assertEquals(p.get("sha256"), card.get("sha256"));
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        TrainingResult whole = train(config(2), tmp.resolve("whole"), false);
        train(config(1), tmp.resolve("parts"), false);
        TrainingResult resumed = train(config(2), tmp.resolve("parts"), true);

        // The weights digest of every epoch is in the history, so equal histories mean bit-identical weights.
        assertEquals(whole.history().stream().map(EpochRecord::withoutTimings).toList(),
                resumed.history().stream().map(EpochRecord::withoutTimings).toList());
        assertEquals(whole.bestEpoch(), resumed.bestEpoch());
        List<String> digests = whole.history().stream().map(EpochRecord::weightsDigest).toList();
        assertTrue(digests.stream().allMatch(d -> d != null && d.matches("[0-9a-f]{16}")), digests.toString());
        assertNotEquals(digests.get(0), digests.get(1), "an epoch of training changes the weights");
        try (LoadedModel a = ModelArtifact.load(whole.modelDir()); LoadedModel b = ModelArtifact.load(resumed.modelDir())) {
            assertEquals(digests.get(whole.bestEpoch() - 1), ModelArtifact.weightsDigest(a.single("comparing weights").net()),
                    "the saved model is the best epoch's weights, bit for bit");
            assertEquals(ModelArtifact.weightsDigest(a.single("comparing weights").net()), ModelArtifact.weightsDigest(b.single("comparing weights").net()));
        }
        List<String> csv = Files.readAllLines(tmp.resolve("parts/history.csv"));
        assertEquals(3, csv.size());
        assertEquals(EpochRecord.CSV_HEADER, csv.get(0));
        assertTrue(csv.get(2).contains("," + digests.get(1) + ","), csv.get(2));
        assertTrue(Json.MAPPER.readTree(tmp.resolve("parts/manifest.json").toFile()).path("finishedAt").isTextual());
    }

    @Test
    void everyEpochRecordsTheProcessMemoryAndNoArrayOutlivesTheEpochThatMadeIt() throws Exception {
        TrainingResult plain = train(config(4), tmp.resolve("memory-plain"), false);
        TrainingResult recomputed = new TrainingRun(config(3), index, tmp.resolve("memory-recomputed"), 2, QUIET)
                .withRecompute(Recompute.ALWAYS).run(false);
        for (TrainingResult run : List.of(plain, recomputed)) {
            List<EpochRecord.Memory> memory = run.history().stream().map(EpochRecord::memory).toList();
            assertTrue(memory.stream().allMatch(m -> m != null && m.residentMib() > 0 && m.peakMib() >= m.residentMib()),
                    memory.toString());
            // Weights, gradients and the optimizer's moments exist after the first step; anything more after a later
            // epoch is an array a step, a validation or a checkpoint left open.
            assertTrue(memory.get(0).liveArrays() > 0, memory.toString());
            assertTrue(memory.stream().allMatch(m -> m.liveArrays() == memory.get(0).liveArrays()), memory.toString());
        }
        List<String> csv = Files.readAllLines(tmp.resolve("memory-plain/history.csv"));
        EpochRecord.Memory last = plain.history().get(3).memory();
        assertTrue(csv.get(4).endsWith("," + last.residentMib() + "," + last.peakMib() + "," + last.liveArrays()), csv.get(4));
    }

    @Test
    void aRunResumedRecomputingActivationsContinuesToTheSameNumbers() throws Exception {
        TrainingResult whole = train(config(2), tmp.resolve("whole-for-recompute"), false);
        train(config(1), tmp.resolve("recomputed"), false);
        // Recomputing is a setting of memory and speed: a resume may change it. Autograd then adds a boundary
        // array's gradient contributions in another order, so the weights agree to rounding, not bit for bit.
        TrainingResult resumed = new TrainingRun(config(2), index, tmp.resolve("recomputed"), 2, QUIET)
                .withRecompute(Recompute.ALWAYS).run(true);
        assertFalse(Json.MAPPER.readTree(tmp.resolve("whole-for-recompute/manifest.json").toFile())
                .path("recomputesActivations").asBoolean());
        assertTrue(Json.MAPPER.readTree(tmp.resolve("recomputed/manifest.json").toFile())
                .path("recomputesActivations").asBoolean());
        for (int e = 0; e < 2; e++) {
            EpochRecord a = whole.history().get(e);
            EpochRecord b = resumed.history().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-5);
            assertEquals(a.validationLoss(), b.validationLoss(), 1e-5);
        }
        try (LoadedModel a = ModelArtifact.load(whole.modelDir()); LoadedModel b = ModelArtifact.load(resumed.modelDir())) {
            List<Pair<String, Parameter>> pa = a.single("comparing weights").net().getParameters().stream().toList();
            List<Pair<String, Parameter>> pb = b.single("comparing weights").net().getParameters().stream().toList();
            assertEquals(pa.size(), pb.size());
            for (int i = 0; i < pa.size(); i++) {
                NDArray x = pa.get(i).getValue().getArray();
                NDArray y = pb.get(i).getValue().getArray();
                assertArrayEquals(x.toFloatArray(), y.toFloatArray(), 1e-4f, pa.get(i).getKey());
            }
        }
    }

    @Test
    void savedModelReproducesTheValidationOfItsBestEpoch() {
        TrainConfig config = config(2);
        TrainingResult result = train(config, tmp.resolve("reload"), false);
        PatientSplit split = PatientSplit.of(index.studies(Split.TRAIN), config.validationFraction(), config.seed());
        try (LoadedModel model = ModelArtifact.load(result.modelDir())) {
            var scored = ModelScoring.score(model, index, split.validation(), 8, 2,
                    config.badImages(), config.precision(), QUIET, "check");
            double accuracy = Evaluation.studyMetrics(StudyAggregation.MEAN.aggregate(scored.images()), 0.5).accuracy();
            assertEquals(result.best().validationAccuracy(), accuracy, 1e-12);
            var again = ModelScoring.score(model, index, split.validation(), 3, 1, config.badImages(), config.precision(), QUIET,
                    "again");
            for (int i = 0; i < scored.images().size(); i++) {
                assertEquals(scored.images().get(i).probability(), again.images().get(i).probability(), 1e-6);
            }
        }
    }

    @Test
    void trainsInBf16AndItsModelScoresCloseToFp32() throws Exception {
        TrainConfig fp32 = config(2);
        TrainConfig config = new TrainConfig(fp32.model(), fp32.pretrained(), fp32.freeze(), fp32.optimizer(), fp32.schedule(),
                fp32.classWeighted(), fp32.epochs(), fp32.batchSize(), fp32.validationFraction(), fp32.seed(),
                fp32.selection(), fp32.earlyStoppingPatience(), fp32.preprocessing(), fp32.augmentation(),
                fp32.badImages(), Precision.BF16);
        TrainingResult result = train(config, tmp.resolve("bf16"), false);
        assertEquals("bf16", Json.MAPPER.readTree(tmp.resolve("bf16/manifest.json").toFile())
                .path("config").path("precision").asText());
        assertTrue(Double.isFinite(result.best().trainLoss()));
        PatientSplit split = PatientSplit.of(index.studies(Split.TRAIN), config.validationFraction(), config.seed());
        try (LoadedModel model = ModelArtifact.load(result.modelDir())) {
            var bf16 = ModelScoring.score(model, index, split.validation(), 8, 2, config.badImages(), Precision.BF16,
                    QUIET, "bf16");
            double accuracy = Evaluation.studyMetrics(StudyAggregation.MEAN.aggregate(bf16.images()), 0.5).accuracy();
            assertEquals(result.best().validationAccuracy(), accuracy, 1e-12);
            var full = ModelScoring.score(model, index, split.validation(), 8, 2, config.badImages(), Precision.FP32,
                    QUIET, "fp32");
            double maxDiff = 0;
            for (int i = 0; i < full.images().size(); i++) {
                maxDiff = Math.max(maxDiff, Math.abs(full.images().get(i).probability() - bf16.images().get(i).probability()));
            }
            assertTrue(maxDiff < 1e-2, "bf16 and fp32 probabilities differ by " + maxDiff);
            assertTrue(maxDiff > 0, "bf16 scored exactly as fp32: it did not run in bf16");
        }
    }

    @Test
    void aTinyNetworkLearnsTheFindings() {
        // 8 epochs: at 6 the outcome sat on an edge, where scaling every pixel by 0.999 (about the 8-bit rounding of
        // the resized images) moved the best study accuracy from 1.0 to 0.7; at 8 both reach 0.9
        TrainConfig config = TrainDefaults.merge(config(8), Json.MAPPER.createObjectNode()
                .set("schedule", Json.MAPPER.valueToTree(ScheduleSpec.constant())));
        TrainingResult result = train(config, tmp.resolve("learns"), false);
        double first = result.history().get(0).validationAccuracy();
        double best = result.best().validationAccuracy();
        assertTrue(best >= 0.75, "study accuracy on held-out patients " + best + " (chance is about 0.5)");
        assertTrue(result.best().trainLoss() < result.history().get(0).trainLoss(), "training loss falls");
        assertTrue(best >= first, "the kept epoch is at least as good as the first");
    }

    @Test
    void theImageCacheIsOnByDefaultRecordedInTheManifestAndChangesNoResult() throws Exception {
        TrainingResult cached = train(config(1), tmp.resolve("cache-on/run"), false);
        Path cacheDir = tmp.resolve("cache-on/.cache");
        try (var files = Files.list(cacheDir)) {
            assertEquals(4, files.filter(f -> f.getFileName().toString().startsWith("resized-32-squash-")).count(),
                    "data file and index for the training and the validation images");
        }
        assertEquals(cacheDir.toAbsolutePath().toString(),
                Json.MAPPER.readTree(tmp.resolve("cache-on/run/manifest.json").toFile()).path("imageCache").asText());
        TrainingResult uncached = new TrainingRun(config(1), index, tmp.resolve("cache-off/run"), 2, QUIET)
                .withImageCache(null).run(false);
        assertEquals("off", Json.MAPPER.readTree(tmp.resolve("cache-off/run/manifest.json").toFile()).path("imageCache").asText());
        assertTrue(Files.notExists(tmp.resolve("cache-off/.cache")));
        assertEquals(cached.history().stream().map(EpochRecord::withoutTimings).toList(),
                uncached.history().stream().map(EpochRecord::withoutTimings).toList());
    }

    @Test
    void anExistingRunIsNotOverwrittenAndAResumeMustKeepItsConfiguration() {
        train(config(1), tmp.resolve("guard"), false);
        assertThrows(IllegalArgumentException.class, () -> train(config(1), tmp.resolve("guard"), false));
        TrainConfig other = TrainDefaults.merge(config(2), Json.MAPPER.createObjectNode().put("batchSize", 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> train(other, tmp.resolve("guard"), true));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    }
}
