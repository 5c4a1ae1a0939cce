package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bonexray.data.BodyPart;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.Json;
import org.bonexray.model.Ensembles;
import org.bonexray.model.ModelArtifact;
import org.bonexray.pacs.dicom.DicomUids;
import org.bonexray.pacs.dicom.Part10;
import org.bonexray.pacs.dicom.SecondaryCapture;
import org.bonexray.serve.ServeFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code score} and {@code evaluate --engine spark} with Spark running for real, embedded in {@code local[2]} on the
 * loopback address, against a tiny model on the synthetic sample.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ScoreCommandTest {
    @TempDir
    static Path tmp;
    static Path root;
    static Path model;

    @BeforeAll
    static void sampleAndModel() {
        SyntheticMuraGenerator.generate(tmp, new SampleSpec(23, 2, 3, 64, 96, 0.5), null);
        root = SyntheticMuraGenerator.datasetDir(tmp);
        model = ServeFixtures.tinyModel(tmp.resolve("model"), 5);
    }

    @Test
    void studyProbabilitiesAndMetricsEqualEvaluates() throws IOException {
        Path local = tmp.resolve("evaluate-local");
        CommandRunner evaluate = CommandRunner.run("evaluate", "--model", model.toString(), "--data", root.toString(),
                "--out", local.toString(), "--precision", "fp32", "--bootstrap", "50", "--batch-size", "8");
        assertEquals(0, evaluate.exitCode, evaluate.toString());
        Map<String, Double> expected = column(Files.readAllLines(local.resolve("study_predictions.csv")), "study_id");

        Path out = tmp.resolve("score-valid");
        CommandRunner score = CommandRunner.run("score", "--model", model.toString(), "--data", root.toString(),
                "--out", out.toString(), "--master", "local[2]", "--precision", "fp32", "--evaluate", "--bootstrap", "50",
                "--csv", "--batch-size", "5");
        assertEquals(0, score.exitCode, score.toString());
        Map<String, Double> scored = column(csvTable(out.resolve("csv/studies")), "study");
        assertEquals(expected.keySet(), scored.keySet(), "the same studies");
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            assertEquals(e.getValue(), scored.get(e.getKey()), 1e-5, e.getKey());
        }
        JsonNode mine = Json.MAPPER.readTree(out.resolve("metrics.json").toFile()).at("/result/studyLevel/overall");
        JsonNode theirs = Json.MAPPER.readTree(local.resolve("metrics.json").toFile()).at("/result/studyLevel/overall");
        for (String metric : List.of("accuracy", "kappa", "auroc", "f1")) {
            assertEquals(theirs.at("/metrics/" + metric).asDouble(), mine.at("/metrics/" + metric).asDouble(), 1e-6, metric);
        }
        assertEquals(theirs.at("/intervals").toString(), mine.at("/intervals").toString(), "the same bootstrap intervals");
        assertTrue(score.out.contains("Parts: "), score.out);

        Path again = tmp.resolve("score-from-parquet"); // a Parquet list: the first job's own images table
        CommandRunner fromParquet = CommandRunner.run("score", "--model", model.toString(), "--list",
                out.resolve("images").toString(), "--out", again.toString(), "--master", "local[2]", "--precision", "fp32",
                "--csv");
        assertEquals(0, fromParquet.exitCode, fromParquet.toString());
        Map<String, Double> rescored = column(csvTable(again.resolve("csv/studies")), "study");
        assertEquals(scored.keySet(), rescored.keySet());
        scored.forEach((study, p) -> assertEquals(p, rescored.get(study), 1e-5, study));

        Path viaEvaluate = tmp.resolve("evaluate-spark");
        CommandRunner spark = CommandRunner.run("evaluate", "--engine", "spark", "--master", "local[2]", "--model",
                model.toString(), "--data", root.toString(), "--out", viaEvaluate.toString(), "--precision", "fp32",
                "--bootstrap", "50");
        assertEquals(0, spark.exitCode, spark.toString());
        JsonNode engine = Json.MAPPER.readTree(viaEvaluate.resolve("metrics.json").toFile()).at("/result/studyLevel/overall");
        for (String metric : List.of("accuracy", "kappa", "auroc", "f1", "brier")) {
            assertEquals(theirs.at("/metrics/" + metric).asDouble(), engine.at("/metrics/" + metric).asDouble(), 1e-6, metric);
        }
        assertEquals(ExitCodes.USAGE, CommandRunner.run("evaluate", "--engine", "spark", "--model", model.toString(),
                "--data", root.toString(), "--threshold", "youden").exitCode, "Youden needs the local engine");
    }

    @Test
    void aShippedEnsembleScoresAsEvaluateScoresIt() throws IOException {
        Path ensemble = tmp.resolve("ensemble");
        Ensembles.combine(List.of(model, ServeFixtures.tinyModel(tmp.resolve("member-6"), 6)), ensemble, null);
        Path local = tmp.resolve("evaluate-ensemble");
        CommandRunner evaluate = CommandRunner.run("evaluate", "--model", ensemble.toString(), "--data", root.toString(),
                "--out", local.toString(), "--precision", "fp32", "--bootstrap", "0");
        assertEquals(0, evaluate.exitCode, evaluate.toString());
        Map<String, Double> expected = column(Files.readAllLines(local.resolve("study_predictions.csv")), "study_id");
        Path out = tmp.resolve("score-ensemble");
        CommandRunner score = CommandRunner.run("score", "--model", ensemble.toString(), "--data", root.toString(),
                "--out", out.toString(), "--master", "local[2]", "--precision", "fp32", "--csv", "--ship-model");
        assertEquals(0, score.exitCode, score.toString());
        List<String> studies = csvTable(out.resolve("csv/studies"));
        Map<String, Double> scored = column(studies, "study");
        assertEquals(expected.keySet(), scored.keySet());
        expected.forEach((study, p) -> assertEquals(p, scored.get(study), 1e-5, study));

        List<String> spread = Files.readAllLines(local.resolve("study_spread.csv"));
        List<String> header = List.of(studies.get(0).split(","));
        Map<String, String[]> byStudy = new HashMap<>();
        studies.subList(1, studies.size()).forEach(l -> byStudy.put(l.split(",")[header.indexOf("study")], l.split(",")));
        for (String line : spread.subList(1, spread.size())) {
            String[] f = line.split(",");
            String[] row = byStudy.get(f[0]);
            assertEquals(2, Integer.parseInt(row[header.indexOf("members")]), f[0]);
            assertEquals(Double.parseDouble(f[5]), Double.parseDouble(row[header.indexOf("member_sd")]), 1e-5, f[0]);
            assertEquals(Double.parseDouble(f[6]), Double.parseDouble(row[header.indexOf("member_min")]), 1e-5, f[0]);
        }
        Path single = tmp.resolve("score-single");
        assertEquals(0, CommandRunner.run("score", "--model", model.toString(), "--data", root.toString(), "--out",
                single.toString(), "--master", "local[2]", "--precision", "fp32", "--csv").exitCode);
        assertFalse(csvTable(single.resolve("csv/studies")).get(0).contains("member"),
                "a single network's studies table is as it was");
    }

    @Test
    void testTimeViewsAndTheModelsPerPartThresholdsDecideAsPredictDoes() throws IOException {
        Path calibrated = tmp.resolve("per-part");
        Files.createDirectories(calibrated);
        for (String f : List.of("model.json", "weights.params")) {
            Files.copy(model.resolve(f), calibrated.resolve(f));
        }
        ModelArtifact.Description d = ModelArtifact.readDescription(calibrated);
        ModelArtifact.writeDescription(calibrated, d.withThresholds(1.0, Map.of(BodyPart.HAND, 0.0), "test"));
        Path local = tmp.resolve("evaluate-flip");
        assertEquals(0, CommandRunner.run("evaluate", "--model", calibrated.toString(), "--data", root.toString(),
                "--out", local.toString(), "--precision", "fp32", "--bootstrap", "0", "--tta", "flip").exitCode);
        Map<String, Double> expected = column(Files.readAllLines(local.resolve("study_predictions.csv")), "study_id");

        Path out = tmp.resolve("score-flip");
        String[] command = {"score", "--model", calibrated.toString(), "--data", root.toString(), "--out", out.toString(),
            "--master", "local[2]", "--precision", "fp32", "--csv", "--tta", "flip"};
        CommandRunner score = CommandRunner.run(command);
        assertEquals(0, score.exitCode, score.toString());
        List<String> studies = csvTable(out.resolve("csv/studies"));
        Map<String, Double> scored = column(studies, "study");
        expected.forEach((study, p) -> assertEquals(p, scored.get(study), 1e-5, "flip views as evaluate: " + study));
        List<String> header = List.of(studies.get(0).split(","));
        int hands = 0;
        for (String line : studies.subList(1, studies.size())) {
            String[] f = line.split(",");
            boolean hand = f[header.indexOf("body_part")].equals("XR_HAND");
            hands += hand ? 1 : 0;
            assertEquals(hand ? 0.0 : 1.0, Double.parseDouble(f[header.indexOf("threshold")]), 0, line);
            assertEquals(String.valueOf(hand), f[header.indexOf("abnormal")], line);
        }
        assertTrue(hands > 0, "the sample has hand studies");
        command[command.length - 1] = "none";
        assertEquals(ExitCodes.USAGE, CommandRunner.run(command).exitCode, "parts of other views are not mixed in");
    }

    @Test
    void badImagesLandInTheErrorsTableAndARerunSkipsFinishedParts() throws IOException {
        List<String> lines = new ArrayList<>(List.of("path"));
        try (Stream<Path> files = Files.walk(root.resolve("valid"))) {
            files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(p -> lines.add(p.toString()));
        }
        Path corrupt = tmp.resolve("elsewhere/XR_HAND/patient09999/study1_negative/image1.png");
        Files.createDirectories(corrupt.getParent());
        Files.writeString(corrupt, "not a radiograph");
        lines.add(corrupt.toString());
        lines.add(tmp.resolve("elsewhere/missing/study1_positive/image1.png").toString());
        Path png = Path.of(lines.get(1));
        Path dicom = tmp.resolve("elsewhere/XR_WRIST/patient09998/study1_positive/image1.dcm");
        Files.createDirectories(dicom.getParent());
        SecondaryCapture.Study capture = new SecondaryCapture.Study(DicomUids.random(), DicomUids.random(), "patient09998",
                "Trial^patient09998", null, "WRIST", "XR WRIST");
        Files.write(dicom, Part10.write(SecondaryCapture.of(capture, 1, ImageDecoder.decode(png))));
        lines.add(dicom.toString());
        Path list = tmp.resolve("list.csv");
        Files.write(list, lines);
        int images = lines.size() - 3;

        Path out = tmp.resolve("score-list");
        String[] command = {"score", "--model", model.toString(), "--list", list.toString(), "--out", out.toString(),
            "--master", "local[2]", "--parts", "4", "--csv", "--ship-model", "--precision", "fp32"};
        CommandRunner first = CommandRunner.run(command);
        assertEquals(0, first.exitCode, first.toString());
        assertTrue(first.out.contains("Scored " + images + " images") && first.out.contains("2 unreadable"), first.out);
        List<String> errors = csvTable(out.resolve("csv/errors"));
        assertEquals(3, errors.size(), "header and two bad images: " + errors);
        assertTrue(errors.stream().anyMatch(l -> l.startsWith(corrupt.toString()) && l.length() > corrupt.toString().length() + 20),
                "the corrupt file with its reason: " + errors);
        assertTrue(errors.stream().anyMatch(l -> l.contains("missing") && l.contains("no such file")), errors.toString());
        Map<String, Double> before = column(csvTable(out.resolve("csv/studies")), "study");
        Map<String, Double> byPath = column(csvTable(out.resolve("csv/images")), "path");
        assertEquals(byPath.get(png.toString()), byPath.get(dicom.toString()), 1e-5, "a DICOM copy scores as its PNG");
        assertTrue(before.containsKey(dicom.getParent().toString()), "the DICOM study is in the studies table: " + before.keySet());

        Path parts = out.resolve("_bonexray/parts");
        List<Path> partFiles;
        try (Stream<Path> s = Files.list(parts)) {
            partFiles = s.sorted().toList();
        }
        assertEquals(4, partFiles.size(), partFiles.toString());
        Files.delete(partFiles.get(1)); // as if the job had died before that part finished
        Map<Path, FileTime> times = new HashMap<>();
        for (Path p : List.of(partFiles.get(0), partFiles.get(2), partFiles.get(3))) {
            times.put(p, Files.getLastModifiedTime(p));
        }
        CommandRunner rerun = CommandRunner.run(command);
        assertEquals(0, rerun.exitCode, rerun.toString());
        assertTrue(rerun.out.contains("Parts: 1 scored now, 3 earlier"), rerun.out);
        assertTrue(Files.exists(partFiles.get(1)), "the missing part is scored again");
        for (Map.Entry<Path, FileTime> t : times.entrySet()) {
            assertEquals(t.getValue(), Files.getLastModifiedTime(t.getKey()), "finished part untouched: " + t.getKey());
        }
        assertEquals(before, column(csvTable(out.resolve("csv/studies")), "study"), "the same results");

        Path other = ServeFixtures.tinyModel(tmp.resolve("other-model"), 6);
        command[2] = other.toString();
        CommandRunner refused = CommandRunner.run(command);
        assertEquals(ExitCodes.USAGE, refused.exitCode, refused.toString());
        assertTrue(refused.err.contains("made by another job") && refused.err.contains("--overwrite"), refused.err);
        String[] overwrite = java.util.Arrays.copyOf(command, command.length + 1);
        overwrite[command.length] = "--overwrite";
        CommandRunner replaced = CommandRunner.run(overwrite);
        assertEquals(0, replaced.exitCode, replaced.toString());
        assertTrue(replaced.out.contains("Parts: 4 scored now, 0 earlier"), replaced.out);
        assertFalse(before.equals(column(csvTable(out.resolve("csv/studies")), "study")), "another model's numbers");
    }

    @Test
    void aStopKeepsTheFinishedPartsAndTheNextRunContinues() throws Exception {
        Path out = tmp.resolve("score-stopped");
        Path parts = out.resolve("_bonexray/parts");
        String[] command = {"score", "--model", model.toString(), "--data", root.toString(), "--split", "train", "--out",
            out.toString(), "--master", "local[1]", "--parts", "60"};
        Thread stopper = new Thread(() -> {
            try {
                while (!Files.isDirectory(parts) || partFiles(parts) == 0) {
                    Thread.sleep(2);
                }
                org.bonexray.io.StopSignal.current().request(org.bonexray.io.StopSignal.SIGTERM_EXIT); // as SIGTERM does
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        });
        stopper.start();
        CommandRunner stopped = CommandRunner.run(command);
        stopper.join(60_000);
        assertEquals(143, stopped.exitCode, stopped.toString());
        long done = partFiles(parts);
        assertTrue(done >= 1 && done < 60, done + " parts finished before the stop");
        assertFalse(Files.exists(out.resolve("studies")), "no tables from a stopped job");

        CommandRunner resumed = CommandRunner.run(command);
        assertEquals(0, resumed.exitCode, resumed.toString());
        assertTrue(resumed.out.contains("Parts: " + (60 - done) + " scored now, " + done + " earlier"), resumed.out);
    }

    private static long partFiles(Path parts) throws IOException {
        try (Stream<Path> s = Files.list(parts)) {
            return s.filter(p -> p.getFileName().toString().matches("part-\\d+\\.jsonl")).count();
        }
    }

    /** The lines of the one CSV file Spark wrote into {@code dir}. */
    private static List<String> csvTable(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            Path csv = s.filter(p -> p.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
            return Files.readAllLines(csv);
        }
    }

    /** Probability by {@code key} from a CSV with a header naming it and {@code probability}. */
    private static Map<String, Double> column(List<String> lines, String key) {
        List<String> header = List.of(lines.get(0).split(","));
        int k = header.indexOf(key);
        int p = header.indexOf("probability");
        Map<String, Double> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertNotNull(out.put(cells[k], Double.parseDouble(cells[p])) == null ? "" : null, "study listed twice: " + cells[k]);
        }
        return out;
    }
}
