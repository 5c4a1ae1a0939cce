package org.bonexray.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bonexray.Versions;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Sha256;

/**
 * The ensemble layout: where its members are ({@link #memberDir}), what makes a model a member ({@link #readMember}),
 * and writing one ({@link ModelArtifact#ENSEMBLE_FORMAT}) from saved single-network models of the same
 * preprocessing: each member's files go, unchanged, into {@code members/NN} (hard-linked
 * when the file system allows, else copied: the artifact files are only ever replaced, never rewritten in place, so
 * a link never sees a change), and the ensemble's {@code model.json} holds the shared preprocessing and the threshold.
 * Its temperature starts at 1 and it has no per-part thresholds: both belong to the ensemble's mean, so they are
 * chosen on it ({@code evaluate --calibrate}, {@code --save-threshold}), not inherited from a member.
 */
public final class Ensembles {
    /**
     * The key of an ensemble manifest's shared validation split ({@code validationFraction}, {@code seed}, and
     * {@code validationFold} when the members held out the same fold), where a
     * run's manifest has them in its {@code config}.
     */
    public static final String VALIDATION_SPLIT = "validationSplit";

    /** The folder of member {@code i}. */
    public static String memberFolder(int i) {
        return String.format(Locale.ROOT, "members/%02d", i);
    }

    private Ensembles() {
    }

    /**
     * The folder of one member of an ensemble, checked to lie inside the ensemble's directory (a {@code model.json}
     * is untrusted input: a member named {@code ../x} or {@code /x} is refused, not followed).
     *
     * @param modelDir the ensemble's directory
     * @param member the member's folder as {@code model.json} lists it
     * @return the member's directory
     */
    public static Path memberDir(Path modelDir, String member) {
        Path relative = Path.of(member);
        Path resolved = modelDir.resolve(relative).normalize();
        if (member.isBlank() || relative.isAbsolute() || !resolved.startsWith(modelDir.normalize())
                || resolved.equals(modelDir.normalize())) {
            throw new DataException(modelDir.resolve(ModelArtifact.DESCRIPTION), "member folder '" + member
                    + "' is not a folder inside the ensemble");
        }
        return resolved;
    }

    /**
     * Reads an ensemble member's description and checks that it is a single network with the ensemble's
     * preprocessing: the members' mean is only meaningful over the same input.
     *
     * @param memberDir the member's folder
     * @param preprocessing the ensemble's preprocessing
     * @param ensemble how to name the ensemble in an error
     * @return the member's description
     * @throws DataException naming the member's folder and the field that differs
     */
    public static ModelArtifact.Description readMember(Path memberDir, Preprocessing preprocessing, String ensemble) {
        ModelArtifact.Description member = ModelArtifact.readDescription(memberDir);
        if (member.isEnsemble()) {
            throw new DataException(memberDir, "is itself an ensemble; an ensemble's members are single networks "
                    + "(list its members instead)");
        }
        if (!member.preprocessing().equals(preprocessing)) {
            throw new DataException(memberDir, "its preprocessing differs from " + ensemble + "'s: "
                    + member.preprocessing().difference(preprocessing));
        }
        return member;
    }

    /**
     * What the ensemble's {@code manifest.json} records of one member.
     *
     * @param folder where it sits in the ensemble
     * @param source the model folder it was copied from, as given
     * @param id its {@link ModelArtifact#id}
     * @param manifestSha256 SHA-256 of its {@code manifest.json} (null without one)
     * @param threshold its own decision threshold
     */
    public record MemberRecord(String folder, String source, String id, String manifestSha256, double threshold) {
    }

    /**
     * Writes an ensemble of existing models, atomically (a kill leaves no half-written folder).
     *
     * @param models the members' model folders, in order (at least one)
     * @param out the ensemble's folder; must not exist, nor be one of the members or inside one
     * @param threshold the ensemble's decision threshold, or null for the mean of the members' thresholds
     * @return the members as recorded
     * @throws DataException naming a member that is not a single network, or whose preprocessing differs from the
     *     first member's (naming the field)
     * @throws IllegalArgumentException for no members, a threshold outside [0, 1], or an unusable {@code out}
     */
    public static List<MemberRecord> combine(List<Path> models, Path out, Double threshold) {
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " exists; an ensemble is written to a new folder");
        }
        return write(models, out, threshold);
    }

    /**
     * The same as {@link #combine} into a folder that may hold an older ensemble of the same members, replaced
     * atomically ({@code train --ensemble} rebuilding its model after a member was trained again).
     */
    public static List<MemberRecord> rebuild(List<Path> models, Path out, Double threshold) {
        return write(models, out, threshold);
    }

    private static List<MemberRecord> write(List<Path> models, Path out, Double threshold) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        Path target = out.toAbsolutePath().normalize();
        List<ModelArtifact.Description> descriptions = new ArrayList<>();
        Preprocessing preprocessing = ModelArtifact.readDescription(models.get(0)).preprocessing();
        for (Path model : models) {
            if (target.startsWith(model.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException(out + " is inside the member " + model);
            }
            descriptions.add(readMember(model, preprocessing, "the first member " + models.get(0)));
        }
        double chosen = threshold != null ? threshold
                : descriptions.stream().mapToDouble(ModelArtifact.Description::threshold).average().orElseThrow();
        List<String> folders = new ArrayList<>();
        List<MemberRecord> records = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            Path model = models.get(i);
            folders.add(memberFolder(i));
            records.add(new MemberRecord(memberFolder(i), model.toString(), ModelArtifact.id(model),
                    manifestDigest(model), descriptions.get(i).threshold()));
        }
        ModelArtifact.Description description = ModelArtifact.Description.ensemble(preprocessing, chosen, folders);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("kind", "ensemble");
        manifest.put("bonexray", Versions.bonexray());
        manifest.put("createdAt", Instant.now().toString());
        manifest.put("threshold", threshold != null ? "given" : "mean of the members' thresholds");
        manifest.put("members", records);
        sharedSplit(models).ifPresent(split -> manifest.putAll(split));
        AtomicFiles.replaceDirectory(out, tmp -> {
            for (int i = 0; i < models.size(); i++) {
                Path member = tmp.resolve(memberFolder(i));
                Files.createDirectories(member);
                for (String name : ModelArtifact.files(models.get(i), true)) {
                    linkOrCopy(models.get(i).resolve(name), member.resolve(name));
                }
            }
            AtomicFiles.writeJson(tmp.resolve(ModelArtifact.MANIFEST), manifest);
            AtomicFiles.writeJson(tmp.resolve(ModelArtifact.DESCRIPTION), description);
        });
        return records;
    }

    /**
     * The validation split the members share, when their manifests name the same data, validation fraction and split
     * seed: the ensemble's own held-out patients then exist (no member trained on them), and {@code evaluate} can
     * calibrate it and tune its threshold there. Members trained on different splits have none.
     */
    static Optional<Map<String, Object>> sharedSplit(List<Path> models) {
        List<JsonNode> manifests = models.stream().map(ModelArtifact::readManifest).toList();
        JsonNode first = manifests.get(0);
        JsonNode config = first.path("config");
        if (!config.has("validationFraction") || !config.has("seed") || !first.hasNonNull("dataHash")) {
            return Optional.empty();
        }
        for (JsonNode m : manifests) {
            if (!m.path("config").path("validationFraction").equals(config.get("validationFraction"))
                    || !m.path("config").path("seed").equals(config.get("seed"))
                    || !m.path("config").path("validationFold").equals(config.path("validationFold"))
                    || !m.path("dataHash").equals(first.get("dataHash"))) {
                return Optional.empty(); // e.g. a folds ensemble: each member held out other patients
            }
        }
        Map<String, Object> heldOut = new LinkedHashMap<>();
        heldOut.put("validationFraction", config.get("validationFraction").asDouble());
        heldOut.put("seed", config.get("seed").asLong());
        if (config.has("validationFold")) {
            heldOut.put("validationFold", config.get("validationFold"));
        }
        Map<String, Object> split = new LinkedHashMap<>();
        split.put(VALIDATION_SPLIT, heldOut);
        split.put("dataRoot", first.path("dataRoot").asText(null));
        split.put("dataHash", first.get("dataHash").asText());
        return Optional.of(split);
    }

    private static String manifestDigest(Path model) {
        Path manifest = model.resolve(ModelArtifact.MANIFEST);
        try {
            return Files.isRegularFile(manifest) ? Sha256.of(manifest) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to);
        }
    }
}
