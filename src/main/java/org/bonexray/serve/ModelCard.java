package org.bonexray.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;

/**
 * What the service tells about its model: an id derived from the artifact's bytes, the network spec,
 * preprocessing and threshold, a summary of the training data and validation metrics (when the run's
 * manifest and history are beside the model), and provenance. Absolute server paths are left out.
 */
public final class ModelCard {
    private static final List<String> PROVENANCE = List.of("bonexray", "commit", "djl", "pytorch", "java", "os",
            "device", "startedAt", "finishedAt");

    private ModelCard() {
    }

    /** Builds the card as JSON. */
    public static ObjectNode of(LoadedModel model, String id) {
        ObjectNode card = Json.MAPPER.createObjectNode();
        card.put("id", id);
        card.put("format", model.description().format());
        card.set("spec", Json.MAPPER.valueToTree(model.description().spec())); // null for an ensemble: see members
        if (model.isEnsemble()) {
            ArrayNode members = card.putArray("members");
            for (LoadedModel.Member m : model.members()) {
                ObjectNode member = members.addObject();
                member.put("name", m.name());
                member.put("id", ModelArtifact.id(m.dir()));
                member.set("spec", Json.MAPPER.valueToTree(m.description().spec()));
            }
        }
        card.set("preprocessing", Json.MAPPER.valueToTree(model.description().preprocessing()));
        card.put("threshold", model.description().threshold());
        card.set("part_thresholds", Json.MAPPER.valueToTree(model.description().partThresholds()));
        card.put("temperature", model.description().temperature());
        card.put("calibration", model.description().calibration());
        card.put("study_rule", "study probability = mean of its views' probabilities (each the mean over the test-time "
                + "views" + (model.isEnsemble() ? " and over the members" : "") + ", then sigmoid(logit / temperature)); "
                + "abnormal when above the threshold of its body part when the request names one and the model has it, "
                + "else above the threshold");
        JsonNode manifest = model.manifest();
        card.set("training_data", trainingData(manifest));
        card.set("validation", validation(model.dir()));
        card.set("pretrained", pretrained(manifest));
        ObjectNode provenance = card.putObject("provenance");
        for (String key : PROVENANCE) {
            if (manifest.hasNonNull(key)) {
                provenance.set(key, manifest.get(key));
            }
        }
        return card;
    }

    /** Where the starting weights came from: catalogue entry, URL, revision, SHA-256; a file by its name only. */
    private static JsonNode pretrained(JsonNode manifest) {
        JsonNode p = manifest.path("pretrained");
        if (!p.isObject()) {
            return manifest.path("pretrainedWeights").asText("none").equals("none")
                    ? Json.MAPPER.getNodeFactory().textNode("none") : Json.MAPPER.nullNode();
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (String key : List.of("source", "entry", "url", "revision", "sha256", "verifiedBy", "format", "moduleClass",
                "expectedNormalization")) {
            if (p.hasNonNull(key)) {
                out.set(key, p.get(key));
            }
        }
        Path file = p.hasNonNull("file") ? Path.of(p.get("file").asText()).getFileName() : null;
        if (file != null) {
            out.put("file", file.toString());
        }
        return out;
    }

    private static JsonNode trainingData(JsonNode manifest) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        if (manifest.hasNonNull("dataRoot")) {
            Path root = Path.of(manifest.get("dataRoot").asText()).getFileName();
            data.put("dataset", root == null ? "" : root.toString());
        }
        if (manifest.hasNonNull("dataHash")) {
            data.set("data_hash", manifest.get("dataHash"));
        }
        if (manifest.hasNonNull("counts")) {
            data.set("counts", manifest.get("counts"));
        }
        return data.isEmpty() ? Json.MAPPER.nullNode() : data;
    }

    /** The history's best epoch by validation AUROC (kappa when AUROC is absent) and the epoch count. */
    private static JsonNode validation(Path modelDir) {
        Path run = modelDir.toAbsolutePath().getParent();
        Path history = run == null ? null : run.resolve("history.json");
        if (history == null || !Files.isRegularFile(history)) {
            return Json.MAPPER.nullNode();
        }
        try {
            JsonNode epochs = Json.MAPPER.readTree(history.toFile());
            if (!(epochs instanceof ArrayNode arr) || arr.isEmpty()) {
                return Json.MAPPER.nullNode();
            }
            JsonNode best = arr.get(0);
            for (JsonNode e : arr) {
                if (score(e) > score(best)) {
                    best = e;
                }
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("level", "study");
            out.put("epochs", arr.size());
            out.put("best_epoch", best.path("epoch").asInt());
            for (String k : List.of("validationAuroc", "validationKappa", "validationAccuracy", "validationF1", "validationLoss")) {
                out.set(k, best.path(k).isMissingNode() ? Json.MAPPER.nullNode() : best.get(k));
            }
            return out;
        } catch (IOException e) {
            return Json.MAPPER.nullNode(); // an unreadable history only costs the card its metrics
        }
    }

    private static double score(JsonNode epoch) {
        JsonNode auroc = epoch.path("validationAuroc");
        return auroc.isNumber() ? auroc.asDouble() : epoch.path("validationKappa").asDouble(-1);
    }
}
