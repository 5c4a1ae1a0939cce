package org.bonexray.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.DataException;
import org.bonexray.io.Json;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.FreezePolicy;
import org.bonexray.model.Initialization;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridSpecTest {

    @Test
    void pretrainedStartsComparesNoneImagenetAndXrayOnDenseNet121WithEachStartsScaling() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GridPresets.named(GridPresets.PRETRAINED_STARTS));
        assertTrue(e.getMessage().contains("--xray-weights FILE") && e.getMessage().contains("BONEXRAY_XRAY_WEIGHTS"));
        assertThrows(IllegalArgumentException.class, () -> GridPresets.pretrainedStarts(Path.of("/no/such/file.pt")));
        Path xrv = Path.of(GridSpecTest.class.getResource("/fixtures/weights/xrv-tiny-densenet.pt").toURI());
        GridSpec grid = GridPresets.pretrainedStarts(xrv);
        assertEquals(List.of("none", "imagenet", "xray"), grid.rows().stream().map(GridRow::name).toList());
        List<TrainConfig> configs = grid.rows().stream().map(grid::rowConfig).toList();
        assertEquals(List.of("none", "imagenet", xrv.toAbsolutePath().toString()),
                configs.stream().map(TrainConfig::pretrained).toList());
        assertEquals(List.of("MINUS_ONE_TO_ONE", "IMAGENET", "XRAY"),
                configs.stream().map(c -> c.preprocessing().normalization().name()).toList());
        assertTrue(configs.stream().allMatch(c -> c.model().variant().equals(DenseNetVariant.DENSENET121)));
    }

    @Test
    void paperTable1HasTheSevenRowsWithTheirExactOverrides() throws Exception {
        GridSpec grid = GridPresets.named("paper-table1");
        assertEquals(7, grid.rows().size());
        String[][] expected = {
            {"1-dropout-bn-frozen", "{\"model\":{\"head\":{\"hiddenWidths\":[512],\"batchNorm\":true,\"dropout\":0.2}},\"freeze\":\"all\"}"},
            {"2-he-unfrozen", "{\"model\":{\"init\":\"HE\"},\"freeze\":\"none\"}"},
            {"3-xavier-unfrozen", "{\"model\":{\"init\":\"XAVIER\"},\"freeze\":\"none\"}"},
            {"4-xavier-last2", "{\"model\":{\"init\":\"XAVIER\"},\"optimizer\":{\"learningRate\":1.0E-4},\"freeze\":\"last2\"}"},
            {"5-he-last1", "{\"model\":{\"init\":\"HE\"},\"freeze\":\"last1\"}"},
            {"6-random-last3", "{\"model\":{\"init\":\"NORMAL\"},\"optimizer\":{\"learningRate\":1.0E-4},\"freeze\":\"last3\"}"},
            {"7-more-linear", "{\"model\":{\"head\":{\"hiddenWidths\":[512,256]}},\"freeze\":\"none\"}"}};
        for (int i = 0; i < 7; i++) {
            assertEquals(expected[i][0], grid.rows().get(i).name());
            assertEquals(Json.MAPPER.readTree(expected[i][1]), grid.rows().get(i).overrides(), expected[i][0]);
        }
    }

    @Test
    void paperTable1RowsResolveToTheIntendedConfigurations() {
        GridSpec grid = GridPresets.paperTable1();
        List<TrainConfig> c = grid.rows().stream().map(grid::rowConfig).toList();
        assertEquals(FreezePolicy.ALL, c.get(0).freeze());
        assertEquals(List.of(512), c.get(0).model().head().hiddenWidths());
        assertTrue(c.get(0).model().head().batchNorm());
        assertEquals(0.2, c.get(0).model().head().dropout());
        assertEquals(Initialization.XAVIER, c.get(2).model().init());
        assertEquals(FreezePolicy.lastBlocks(2), c.get(3).freeze());
        assertEquals(1e-4, c.get(3).optimizer().learningRate());
        assertEquals(FreezePolicy.lastBlocks(1), c.get(4).freeze());
        assertEquals(Initialization.NORMAL, c.get(5).model().init());
        assertEquals(FreezePolicy.lastBlocks(3), c.get(5).freeze());
        assertEquals(List.of(512, 256), c.get(6).model().head().hiddenWidths());
        assertEquals(DenseNetVariant.DENSENET169, c.get(1).model().variant());
    }

    @Test
    void muraPresetIsMurasRecipe() {
        GridSpec grid = GridPresets.mura();
        TrainConfig c = grid.rowConfig(grid.rows().get(0));
        assertTrue(c.classWeighted());
        assertEquals("adam", c.optimizer().kind());
        assertEquals(1e-4, c.optimizer().learningRate());
        assertEquals("plateau", c.schedule().kind());
        assertEquals(30.0, c.augmentation().maxRotationDegrees());
        assertEquals(0.5, c.augmentation().flipProbability());
        assertEquals(8, c.batchSize());
        assertEquals(320, c.model().inputSize());
        assertEquals(320, c.preprocessing().size());
    }

    @Test
    void readsYamlWithDottedKeysOverABase(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("heads.yaml");
        Files.writeString(file, """
                preset: demo
                base: {epochs: 2}
                rows:
                  - name: lr
                    optimizer.learningRate: 0.01
                    model.head.hiddenWidths: [32]
                  - name: frozen
                    freeze: last1
                """);
        GridSpec grid = GridSpec.read(file);
        assertEquals("heads", grid.name());
        TrainConfig lr = grid.rowConfig(grid.rows().get(0));
        assertEquals(0.01, lr.optimizer().learningRate());
        assertEquals(List.of(32), lr.model().head().hiddenWidths());
        assertEquals(2, lr.epochs());
        assertEquals(TrainDefaults.demo().model().variant(), lr.model().variant(), "the preset supplies what rows leave out");
        assertEquals("optimizer.learningRate=0.01, model.head.hiddenWidths=[32]", grid.rows().get(0).describe());
        JsonNode back = grid.toJson();
        assertEquals(GridSpec.fromJson(back, "x"), grid);
    }

    @Test
    void refusesDuplicateNamesUnknownKeysAndBadNames(@TempDir Path dir) throws Exception {
        Path dup = dir.resolve("dup.json");
        Files.writeString(dup, "{\"rows\":[{\"name\":\"a\"},{\"name\":\"a\"}]}");
        assertThrows(DataException.class, () -> GridSpec.read(dup));
        Path slash = dir.resolve("slash.json");
        Files.writeString(slash, "{\"rows\":[{\"name\":\"../a\"}]}");
        assertThrows(DataException.class, () -> GridSpec.read(slash));
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"rows\":[{\"name\":\"a\",\"epoks\":3}]}");
        GridSpec grid = GridSpec.read(typo);
        assertThrows(IllegalArgumentException.class, () -> grid.rowConfig(grid.rows().get(0)));
    }
}
