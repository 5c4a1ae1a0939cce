package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume with every training tool of issue 25 on (warm-up, label smoothing, mixup/CutMix, EMA or SWA, random
 * resized crops, intensity jitter): the resumed run's history and weights equal the uninterrupted run's bit for bit.
 */
@Timeout(300)
class AccuracyToolsResumeTest {
    @TempDir
    static Path tmp;
    static MuraIndex index;

    @BeforeAll
    static void data() throws Exception {
        index = MuraIndexLoader.load(SignalTree.write(tmp.resolve("data"), 18, 5), LoadOptions.STRICT);
    }

    /** The tests' tiny configuration with the tools on, and the given averaging. */
    static TrainConfig withTools(int epochs, String averaging) {
        String json = "{\"labelSmoothing\": 0.1, \"mixing\": {\"mixupProbability\": 0.4, \"cutmixProbability\": 0.4},"
                + " \"schedule\": {\"kind\": \"cosine\", \"totalEpochs\": 3, \"warmupEpochs\": 1},"
                + " \"augmentation\": {\"crop\": {\"probability\": 0.5, \"minScale\": 0.6, \"maxAspect\": 1.3},"
                + " \"intensity\": {\"brightness\": 0.1, \"contrast\": 0.1, \"gamma\": 0.1}},"
                + " \"averaging\": " + averaging + "}";
        try {
            return TrainDefaults.merge(TrainingRunTest.config(epochs), Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void resumeWithEmaAndMixingEqualsTheUninterruptedRun() throws Exception {
        check("{\"kind\": \"ema\", \"decay\": 0.8}", "ema");
    }

    @Test
    void resumeWithSwaEqualsTheUninterruptedRun() throws Exception {
        check("{\"kind\": \"swa\", \"startEpoch\": 1}", "swa");
    }

    private static TrainingResult train(TrainConfig config, Path dir, boolean resume) {
        return new TrainingRun(config, index, dir, 2, TrainingRunTest.QUIET).run(resume);
    }

    private static void check(String averaging, String name) throws Exception {
        TrainConfig three = withTools(3, averaging);
        assertNotNull(three.mixing());
        assertEquals(name, three.averaging().kind());
        TrainingResult whole = train(three, tmp.resolve(name + "-whole"), false);
        train(withTools(2, averaging), tmp.resolve(name + "-parts"), false);
        TrainingResult resumed = train(three, tmp.resolve(name + "-parts"), true);

        assertEquals(whole.history().stream().map(EpochRecord::withoutTimings).toList(),
                resumed.history().stream().map(EpochRecord::withoutTimings).toList());
        assertTrue(whole.history().stream().allMatch(r -> r.averaged() != null), "the average is validated each epoch");
        List<Integer> live = whole.history().stream().map(r -> r.memory().liveArrays()).toList();
        assertTrue(live.stream().allMatch(n -> n.equals(live.get(0))), "no array outlives its epoch: " + live);
        assertEquals(whole.bestEpoch(), resumed.bestEpoch());
        try (LoadedModel a = ModelArtifact.load(whole.modelDir()); LoadedModel b = ModelArtifact.load(resumed.modelDir())) {
            List<Pair<String, Parameter>> pa = a.single("comparing weights").net().getParameters().stream().toList();
            List<Pair<String, Parameter>> pb = b.single("comparing weights").net().getParameters().stream().toList();
            for (int i = 0; i < pa.size(); i++) {
                assertArrayEquals(pa.get(i).getValue().getArray().toFloatArray(),
                        pb.get(i).getValue().getArray().toFloatArray(), 0f, pa.get(i).getKey());
            }
        }
        var config = Json.MAPPER.readTree(tmp.resolve(name + "-parts/manifest.json").toFile()).path("config");
        assertEquals(0.1, config.path("labelSmoothing").asDouble(), "the manifest records the tools: " + config);
        assertEquals(name, config.path("averaging").path("kind").asText());
        assertEquals(0.4, config.path("mixing").path("cutmixProbability").asDouble());
    }
}
