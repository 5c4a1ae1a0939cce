package org.bonexray.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.EnumSet;
import java.util.Set;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.PredictionCsv;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.io.Json;
import org.bonexray.train.EpochRecord;

/**
 * What a report shows of one run directory: its manifest and history, its evaluation on the valid split when
 * present, and its dataset when still reachable at the manifest's data root.
 *
 * @param dir the run directory
 * @param manifest the run's manifest.json
 * @param history one record per epoch (empty when history.json is missing)
 * @param evaluation the evaluation in {@code evaluation-valid/}, or null
 * @param index the dataset, or null when its root is gone or unreadable
 * @param dataNote why the dataset is missing, or that it changed since training; null when all is well
 */
public record RunData(Path dir, JsonNode manifest, List<EpochRecord> history, Evaluation evaluation, MuraIndex index,
                      String dataNote) {

    /** The folder of the evaluation the report shows. */
    public static final String EVALUATION_DIR = "evaluation-valid";

    /**
     * An evaluation's files.
     *
     * @param metrics the whole metrics.json (split, times, data hash)
     * @param result its result
     * @param studies the study predictions
     */
    public record Evaluation(JsonNode metrics, EvaluationResult result, List<StudyPrediction> studies) {
        public String split() {
            return metrics.path("split").asText("valid");
        }
    }

    /** Reads a run directory; it must hold a manifest.json. */
    public static RunData load(Path dir, PrintStream log) {
        Path manifestFile = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new DataException(dir, "not a run directory: manifest.json is missing");
        }
        JsonNode manifest = readTree(manifestFile);
        List<EpochRecord> history = List.of();
        Path historyFile = dir.resolve("history.json");
        if (Files.isRegularFile(historyFile)) {
            try {
                history = Json.MAPPER.readValue(historyFile.toFile(), new TypeReference<List<EpochRecord>>() { });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + historyFile + ": " + e.getMessage(), e);
            }
        }
        Evaluation evaluation = null;
        Path evalDir = dir.resolve(EVALUATION_DIR);
        if (Files.isRegularFile(evalDir.resolve("metrics.json")) && Files.isRegularFile(evalDir.resolve("study_predictions.csv"))) {
            JsonNode metrics = readTree(evalDir.resolve("metrics.json"));
            try {
                evaluation = new Evaluation(metrics, Json.MAPPER.treeToValue(metrics.path("result"), EvaluationResult.class),
                        PredictionCsv.readStudies(evalDir.resolve("study_predictions.csv")));
            } catch (IOException e) {
                throw new DataException(evalDir.resolve("metrics.json"), "unreadable evaluation: " + e.getMessage(), e);
            }
        }
        return withData(dir, manifest, history, evaluation, log);
    }

    private static RunData withData(Path dir, JsonNode manifest, List<EpochRecord> history, Evaluation evaluation,
                                    PrintStream log) {
        String root = manifest.path("dataRoot").asText("");
        Path rootPath = root.isEmpty() ? null : Path.of(root);
        if (rootPath == null || !Files.isDirectory(rootPath)) {
            return new RunData(dir, manifest, history, evaluation, null,
                    "The dataset at " + (root.isEmpty() ? "(unknown)" : root) + " is no longer there.");
        }
        try {
            MuraIndex index = MuraIndexLoader.load(rootPath, LoadOptions.STRICT);
            String hash = manifest.path("dataHash").asText("");
            if (!hash.equals(index.contentHash()) && evaluation != null) {
                // a run trained on some body parts (--body-part) hashed only those: the evaluation says which
                Set<BodyPart> parts = EnumSet.noneOf(BodyPart.class);
                evaluation.result().studyLevel().byBodyPart().forEach(g -> parts.add(g.bodyPart()));
                MuraIndex filtered = index.filter(parts);
                index = filtered.contentHash().equals(hash) ? filtered : index;
            }
            String note = hash.equals(index.contentHash()) ? null
                    : "The dataset at " + root + " has changed since training (index hash " + index.contentHash()
                            + ", trained on " + hash + "): composition and samples show it as it is now.";
            return new RunData(dir, manifest, history, evaluation, index, note);
        } catch (DataException e) {
            log.println("report: dataset not shown: " + e.getMessage());
            return new RunData(dir, manifest, history, evaluation, null, "The dataset at " + root + " could not be read: "
                    + e.getMessage());
        }
    }

    private static JsonNode readTree(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new DataException(file, "unreadable JSON: " + e.getMessage(), e);
        }
    }

    /** The run's name: its directory's name. */
    public String name() {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }
}
