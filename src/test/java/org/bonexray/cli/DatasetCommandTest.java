package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bonexray.data.Split;
import org.bonexray.data.sample.SampleManifest;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset stats} on the synthetic sample: its counts are the generator's own. */
class DatasetCommandTest {
    @TempDir
    static Path tmp;
    static Path root;
    static SampleManifest manifest;

    @BeforeAll
    static void sample() {
        manifest = SyntheticMuraGenerator.generate(tmp, new SampleSpec(7, 4, 2, 64, 96, 0.5), null);
        root = SyntheticMuraGenerator.datasetDir(tmp);
    }

    @Test
    void jsonCountsEqualTheGeneratorManifest() throws Exception {
        CommandRunner r = CommandRunner.run("dataset", "stats", "--data", root.toString(), "--json");
        assertEquals(0, r.exitCode, r.toString());
        JsonNode rows = Json.MAPPER.readTree(r.out).get("rows");
        int checked = 0;
        for (JsonNode row : rows) {
            Split split = row.get("split").asText().equals("train") ? Split.TRAIN : Split.VALID;
            SampleManifest.Counts expected = row.get("bodyPart").asText().equals("TOTAL") ? manifest.countsOf(split)
                    : manifest.counts().get(split.folderName()).get(row.get("bodyPart").asText());
            assertEquals(expected.studies(), row.get("studies").asInt(), row.toString());
            assertEquals(expected.images(), row.get("images").asInt(), row.toString());
            assertEquals(expected.abnormalStudies(), row.get("abnormalStudies").asInt(), row.toString());
            assertEquals(expected.normalImages(), row.get("normalImages").asInt(), row.toString());
            checked++;
        }
        assertEquals(16, checked); // 7 body parts + total, for each split
    }

    @Test
    void tablePrintsTotals() {
        CommandRunner r = CommandRunner.run("dataset", "stats", "--data", root.toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("TOTAL"), r.out);
        assertTrue(r.out.contains(String.valueOf(manifest.countsOf(Split.TRAIN).images())), r.out);
    }

    @Test
    void aBrokenTreeExitsThreeNamingTheFile() throws Exception {
        Path broken = tmp.resolve("broken");
        SyntheticMuraGenerator.generate(broken, new SampleSpec(8, 1, 1, 64, 80, 0.5), null);
        Path csv = SyntheticMuraGenerator.datasetDir(broken).resolve("valid_image_paths.csv");
        String first = Files.readAllLines(csv).get(0);
        Files.delete(SyntheticMuraGenerator.datasetDir(broken).getParent().resolve(first));
        CommandRunner r = CommandRunner.run("dataset", "stats", "--data", SyntheticMuraGenerator.datasetDir(broken).toString());
        assertEquals(ExitCodes.BAD_DATA, r.exitCode, r.toString());
        assertTrue(r.err.contains(first.substring(first.indexOf('/') + 1)), r.err);
        assertTrue(r.err.contains("--present-only"), r.err);
        CommandRunner lenient = CommandRunner.run("dataset", "stats", "--present-only", "--data",
                SyntheticMuraGenerator.datasetDir(broken).toString());
        assertEquals(0, lenient.exitCode, lenient.toString());
        assertTrue(lenient.err.contains("Left out: 0 studies and 1 images") || lenient.err.contains("Left out: 1 studies"), lenient.err);
    }

    @Test
    void unknownBodyPartIsBadUsage() {
        CommandRunner r = CommandRunner.run("dataset", "stats", "--data", root.toString(), "--body-part", "KNEE");
        assertEquals(ExitCodes.USAGE, r.exitCode, r.toString());
        assertTrue(r.err.contains("KNEE"), r.err);
    }
}
