package org.bonexray.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.bonexray.data.BodyPart;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.io.Json;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The recipes and small-data presets: what each row changes, and the recipes grid end to end on a tiny sample. */
class RecipesGridTest {
    private static final String TINY = """
            {"epochs": 1, "batchSize": 8, "validationFraction": 0.3, "precision": "FP32",
             "model": {"variant": {"name": "tiny", "growthRate": 8, "blockConfig": [2, 2, 2, 2], "numInitFeatures": 16,
                                   "bnSize": 2}, "inputSize": 32},
             "preprocessing": {"size": 32}}
            """;

    @Test
    void eachRecipesRowAddsOneToolToThePapersRecipe() throws Exception {
        GridSpec grid = GridPresets.named("recipes");
        assertEquals(List.of("paper", "warmup", "crop-intensity", "label-smoothing", "mixup", "adamw", "ema", "tta-flip"),
                grid.rows().stream().map(GridRow::name).toList());
        TrainConfig paper = grid.rowConfig(grid.rows().get(0));
        assertEquals(Json.MAPPER.valueToTree(TrainDefaults.standard()), Json.MAPPER.valueToTree(paper));
        List<TrainConfig> c = grid.rows().stream().map(grid::rowConfig).toList();
        assertEquals(2, c.get(1).schedule().warmupEpochs());
        assertNotNull(c.get(2).augmentation().crop());
        assertNotNull(c.get(2).augmentation().intensity());
        assertEquals(paper.augmentation().maxRotationDegrees(), c.get(2).augmentation().maxRotationDegrees());
        assertEquals(0.1, c.get(3).labelSmoothing());
        assertEquals(0.5, c.get(4).mixing().mixupProbability());
        assertEquals("adamw", c.get(5).optimizer().kind());
        assertEquals("ema", c.get(6).averaging().kind());
        assertEquals(Json.MAPPER.valueToTree(paper), Json.MAPPER.valueToTree(c.get(7)), "TTA changes the evaluation only");
        assertEquals(TestTimeAugmentation.FLIP, grid.rows().get(7).tta());
        assertEquals("tta=flip", grid.rows().get(7).describe());
        for (int i = 1; i < 7; i++) {
            assertEquals(1, differingKeys(paper, c.get(i)), grid.rows().get(i).name() + " changes one setting");
        }
        assertEquals(grid, GridSpec.fromJson(grid.toJson(), "x"), "the tta key survives grid.json");
    }

    @Test
    void smallDataPresetCombinesTheToolsForTrainAndTheGrid() {
        TrainConfig s = TrainDefaults.preset("small-data");
        assertEquals("adamw", s.optimizer().kind());
        assertEquals("cosine", s.schedule().kind());
        assertEquals(30, s.schedule().totalEpochs());
        assertEquals(2, s.schedule().warmupEpochs());
        assertNotNull(s.augmentation().crop());
        assertNotNull(s.augmentation().intensity());
        assertEquals(0.1, s.labelSmoothing());
        assertEquals("ema", s.averaging().kind());
        assertNull(s.mixing(), "mixup is left to the recipes grid to measure");
        assertEquals(TrainDefaults.standard().model(), s.model());
        GridSpec grid = GridPresets.named("small-data");
        assertEquals(List.of("paper", "small-data", "small-data-tta-flip"), grid.rows().stream().map(GridRow::name).toList());
        assertEquals(Json.MAPPER.valueToTree(s), Json.MAPPER.valueToTree(grid.rowConfig(grid.rows().get(1))));
        TrainConfig shorter = TrainDefaults.merge(s, Json.MAPPER.createObjectNode().put("epochs", 12));
        assertEquals(12, shorter.schedule().totalEpochs(), "the cosine follows a shorter run");
    }

    @Test
    @Timeout(600)
    void recipesGridRunsEndToEndOnATinySample(@TempDir Path dir) throws Exception {
        SampleSpec spec = new SampleSpec(11, 3, 2, 48, 64, 0.5);
        SyntheticMuraGenerator.generate(dir.resolve("data"), spec, null);
        MuraIndex index = MuraIndexLoader.load(SyntheticMuraGenerator.datasetDir(dir.resolve("data")), LoadOptions.STRICT)
                .filter(EnumSet.of(BodyPart.ELBOW, BodyPart.WRIST));
        JsonNode tiny = Json.MAPPER.readTree(TINY);
        Path gridDir = dir.resolve("grid");
        GridSpec grid = GridPresets.recipes();
        GridSummary summary = new GridRunner(grid, index, gridDir, c -> TrainDefaults.merge(c, tiny), 2,
                new BootstrapSettings(20, 42, 0.95), new PrintStream(PrintStream.nullOutputStream())).run();
        assertEquals(8, summary.rows().size());
        for (GridSummary.Entry e : summary.rows()) {
            assertNotNull(e.study(), e.name() + " not evaluated");
        }
        assertFalse(Files.readString(gridDir.resolve(GridSummary.MARKDOWN)).contains("pending"));
        JsonNode smoothed = Json.MAPPER.readTree(gridDir.resolve("label-smoothing/manifest.json").toFile());
        assertEquals(0.1, smoothed.path("config").path("labelSmoothing").asDouble(), "the row trained with its tool");
        JsonNode paper = Json.MAPPER.readTree(gridDir.resolve("paper/evaluation-valid/metrics.json").toFile());
        JsonNode flip = Json.MAPPER.readTree(gridDir.resolve("tta-flip/evaluation-valid/metrics.json").toFile());
        assertEquals("none", paper.path("tta").asText());
        assertEquals("flip", flip.path("tta").asText());
        assertFalse(Files.exists(gridDir.resolve("tta-flip/manifest.json")), "the TTA row trains nothing");
        assertEquals(paper.path("model").path("dir").asText(), flip.path("model").path("dir").asText());
        assertTrue(Files.readString(gridDir.resolve(GridSummary.MARKDOWN)).contains("| tta-flip | tta=flip |"));
    }

    /** How many leaf settings of two configurations differ. */
    private static int differingKeys(TrainConfig a, TrainConfig b) {
        return count(Json.MAPPER.valueToTree(a), Json.MAPPER.valueToTree(b));
    }

    private static int count(JsonNode a, JsonNode b) {
        if (a == null || b == null || !a.isObject() || !b.isObject()) {
            return java.util.Objects.equals(a, b) ? 0 : 1;
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        int n = 0;
        for (String k : keys) {
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            n += (x != null && x.isObject()) || (y != null && y.isObject()) ? Math.min(1, count(x, y)) : count(x, y);
        }
        return n;
    }
}
