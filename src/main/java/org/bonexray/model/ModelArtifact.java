package org.bonexray.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.io.Sha256;

/**
 * A saved model: a directory with {@code model.json} (network spec, preprocessing, decision threshold),
 * {@code weights.params} (DJL's parameter format) and {@code manifest.json} (how it was made). The
 * preprocessing travels with the weights, so a model always sees at inference what it saw in training.
 *
 * <p>An ensemble ({@link #ENSEMBLE_FORMAT}) is a directory whose {@code model.json} lists member folders inside it
 * ({@code members/00}, ...), each a single model as above, and holds what applies to the ensemble's mean: the shared
 * preprocessing, threshold, temperature and per-part thresholds. It has no weights of its own and no spec (members
 * may differ in architecture, never in preprocessing). {@link #load} reads either kind into a {@link LoadedModel}.
 */
public final class ModelArtifact {
    /** Version of the single-network layout, bumped when it changes incompatibly. */
    public static final int FORMAT = 1;
    /** The ensemble layout: {@code model.json} lists member folders, each a {@link #FORMAT} artifact. */
    public static final int ENSEMBLE_FORMAT = 2;
    static final String DESCRIPTION = "model.json";
    static final String WEIGHTS = "weights.params";
    static final String MANIFEST = "manifest.json";

    /**
     * What {@code model.json} holds. The calibration fields came later: a file without them reads as temperature 1
     * and no per-part thresholds, which is what such a model always did.
     *
     * @param format layout version
     * @param spec how to build the network
     * @param preprocessing how images are turned into inputs
     * @param threshold study decision threshold (abnormal when the probability is above it)
     * @param temperature image probabilities are reported as {@code sigmoid(logit(p) / temperature)}; null means 1
     * @param partThresholds body parts with a threshold of their own (used when the body part is known); null
     *     means none
     * @param calibration how temperature and thresholds were chosen, one readable sentence; null when never
     * @param members an ensemble's member folders, relative to its directory (empty for a single network, whose
     *     {@code model.json} then has no such field)
     */
    public record Description(int format, @JsonInclude(JsonInclude.Include.NON_NULL) ModelSpec spec,
                              Preprocessing preprocessing, double threshold, Double temperature,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<BodyPart, Double> partThresholds,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String calibration,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> members) {
        public Description {
            members = members == null ? List.of() : List.copyOf(members);
            Objects.requireNonNull(preprocessing, "preprocessing");
            temperature = temperature == null ? 1.0 : temperature;
            if (!(temperature > 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("a temperature must be positive and finite, got " + temperature);
            }
            checkThreshold(threshold);
            Map<BodyPart, Double> parts = new EnumMap<>(BodyPart.class);
            if (partThresholds != null) {
                partThresholds.forEach((part, t) -> parts.put(Objects.requireNonNull(part, "body part"), checkThreshold(t)));
            }
            partThresholds = Collections.unmodifiableMap(parts);
        }

        /** An uncalibrated model: temperature 1, one threshold for every body part. */
        public Description(int format, ModelSpec spec, Preprocessing preprocessing, double threshold) {
            this(format, spec, preprocessing, threshold, 1.0, Map.of(), null, List.of());
        }

        /** A single network's description, as models were before ensembles. */
        public Description(int format, ModelSpec spec, Preprocessing preprocessing, double threshold,
                           Double temperature, Map<BodyPart, Double> partThresholds, String calibration) {
            this(format, spec, preprocessing, threshold, temperature, partThresholds, calibration, List.of());
        }

        /** An uncalibrated ensemble of member folders. */
        public static Description ensemble(Preprocessing preprocessing, double threshold, List<String> members) {
            return new Description(ENSEMBLE_FORMAT, null, preprocessing, threshold, 1.0, Map.of(), null, members);
        }

        /** @return whether this describes an ensemble (members listed, no network of its own); not a field */
        @JsonIgnore
        public boolean isEnsemble() {
            return !members.isEmpty();
        }

        /** The threshold of a body part: its own, or the overall one (also for an unknown part, null). */
        public double thresholdFor(BodyPart part) {
            return part == null ? threshold : partThresholds.getOrDefault(part, threshold);
        }

        /** This description with another temperature. */
        public Description withTemperature(double value, String how) {
            return new Description(format, spec, preprocessing, threshold, value, partThresholds, how, members);
        }

        /** This description with other thresholds. */
        public Description withThresholds(double overall, Map<BodyPart, Double> perPart, String how) {
            return new Description(format, spec, preprocessing, overall, temperature, perPart, how, members);
        }

        private static double checkThreshold(double t) {
            if (!(t >= 0 && t <= 1)) {
                throw new IllegalArgumentException("a threshold must be within [0, 1], got " + t);
            }
            return t;
        }
    }

    private ModelArtifact() {
    }

    /**
     * A short stable id: the first 16 hex digits of SHA-256 over {@code model.json} and the weights (an ensemble's:
     * its {@code model.json}, then each member's {@code model.json} and weights, in order); what the service, the
     * PACS scorer and {@code score} name a model by.
     */
    public static String id(Path modelDir) {
        try {
            MessageDigest sha = Sha256.newDigest();
            for (String name : files(modelDir, false)) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(modelDir.resolve(name)), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return Sha256.hex(sha).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model to identify it", e);
        }
    }

    /**
     * The files of an artifact, relative to its directory with '/' separators, in the order its id reads them: what
     * to copy to move the model (an ensemble's members included).
     *
     * @param modelDir the model directory
     * @param manifests whether to list the manifests too (they do not enter the id)
     * @return the relative paths
     */
    public static List<String> files(Path modelDir, boolean manifests) {
        Description d = readDescription(modelDir);
        List<String> out = new ArrayList<>();
        out.add(DESCRIPTION);
        if (manifests && Files.isRegularFile(modelDir.resolve(MANIFEST))) {
            out.add(MANIFEST);
        }
        if (!d.isEnsemble()) {
            out.add(WEIGHTS);
            return out;
        }
        for (String member : d.members()) {
            for (String name : files(Ensembles.memberDir(modelDir, member), manifests)) {
                out.add(member + "/" + name);
            }
        }
        return out;
    }

    /** Writes the artifact atomically: a kill leaves either the old directory or the complete new one. */
    public static void save(Path dir, Block block, Description description, Object manifest) {
        AtomicFiles.replaceDirectory(dir, tmp -> {
            writeWeights(block, tmp.resolve(WEIGHTS));
            AtomicFiles.writeJson(tmp.resolve(DESCRIPTION), description);
            AtomicFiles.writeJson(tmp.resolve(MANIFEST), manifest);
        });
    }

    /** Writes a block's parameters in DJL's format. */
    public static void writeWeights(Block block, Path file) {
        AtomicFiles.write(file, out -> saveParameters(block, out));
    }

    /** DJL's parameter format, buffered, flushed into {@code out} (left open). */
    private static void saveParameters(Block block, OutputStream out) throws IOException {
        DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out));
        block.saveParameters(dos);
        dos.flush();
    }

    /**
     * The first 16 hex digits of SHA-256 over a block's parameters as {@link #writeWeights} writes them: equal
     * digests mean bit-identical weights, so two runs of the same seed can be compared epoch by epoch.
     */
    public static String weightsDigest(Block block) {
        MessageDigest sha = Sha256.newDigest();
        try {
            saveParameters(block, new DigestOutputStream(OutputStream.nullOutputStream(), sha));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the weights to digest them", e);
        }
        return Sha256.hex(sha).substring(0, 16);
    }

    /** Reads parameters written by {@link #writeWeights} into an initialised block of the same structure. */
    public static void readWeights(Block block, Model model, Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            // loading replaces each parameter's array; close the old ones now rather than with the model
            block.getParameters().values().forEach(Parameter::close);
            block.loadParameters(model.getNDManager(), new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new DataException(file, "cannot read model weights: " + e.getMessage(), e);
        }
    }

    /** Reads {@code model.json}. */
    public static Description readDescription(Path dir) {
        Path file = dir.resolve(DESCRIPTION);
        if (!Files.isRegularFile(file)) {
            throw new DataException(dir, "not a bonexray model: " + DESCRIPTION + " is missing");
        }
        try {
            Description d = Json.MAPPER.readValue(file.toFile(), Description.class);
            if (d.format() != FORMAT && d.format() != ENSEMBLE_FORMAT) {
                throw new DataException(file, "model format " + d.format() + " is not supported (this bonexray reads "
                        + FORMAT + " and " + ENSEMBLE_FORMAT + ")");
            }
            if (d.format() == FORMAT && (d.isEnsemble() || d.spec() == null)) {
                throw new DataException(file, "a format " + FORMAT + " model needs a spec and lists no members");
            }
            if (d.format() == ENSEMBLE_FORMAT && !d.isEnsemble()) {
                throw new DataException(file, "an ensemble (format " + ENSEMBLE_FORMAT + ") must list its members");
            }
            return d;
        } catch (IOException e) {
            throw new DataException(file, "unreadable model description: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code model.json} atomically (the weights stay), for a calibration chosen after training.
     *
     * @param dir the model directory
     * @param description the new description; its format must be this bonexray's
     */
    public static void writeDescription(Path dir, Description description) {
        readDescription(dir); // refuses a folder that is not a model before anything is written
        AtomicFiles.writeJson(dir.resolve(DESCRIPTION), description);
    }

    /** Reads {@code manifest.json} (empty object when absent). */
    public static JsonNode readManifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        try {
            return Files.isRegularFile(file) ? Json.MAPPER.readTree(file.toFile()) : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new DataException(file, "unreadable manifest: " + e.getMessage(), e);
        }
    }

    /** Loads a saved model on the CPU, ready for inference; close it when done. */
    public static LoadedModel load(Path dir) {
        return load(dir, Device.cpu(), true);
    }

    /**
     * Loads a saved model, ready for inference; close it when done.
     *
     * @param dir the model directory
     * @param device where its weights go (a {@code runtime.DeviceChoice}'s first device)
     * @return the model
     */
    public static LoadedModel load(Path dir, Device device) {
        return load(dir, device, true);
    }

    /**
     * The saved model's architecture and preprocessing with freshly initialised weights (seeded by its spec),
     * for the model-randomisation sanity check of explanations (Adebayo et al. 2018): a heatmap method that
     * scores as well on an untrained copy shows the image, not what the model learnt.
     *
     * @param dir the model directory
     * @return the untrained model; close it
     */
    public static LoadedModel loadUntrained(Path dir) {
        return load(dir, Device.cpu(), false);
    }

    private static LoadedModel load(Path dir, Device device, boolean weights) {
        Description description = readDescription(dir);
        JsonNode manifest = readManifest(dir);
        if (!description.isEnsemble()) {
            return new LoadedModel(List.of(loadNetwork(dir, description, ".", device, weights)), description, manifest,
                    dir);
        }
        List<LoadedModel.Member> members = new ArrayList<>();
        try {
            for (String name : description.members()) {
                Path memberDir = Ensembles.memberDir(dir, name);
                Description member = Ensembles.readMember(memberDir, description.preprocessing(), "the ensemble " + dir);
                members.add(loadNetwork(memberDir, member, name, device, weights));
            }
            return new LoadedModel(members, description, manifest, dir);
        } catch (RuntimeException e) {
            members.forEach(LoadedModel.Member::close);
            throw e;
        }
    }

    private static LoadedModel.Member loadNetwork(Path dir, Description description, String name, Device device,
                                                  boolean weights) {
        Model model = Model.newInstance("bonexray", device);
        try {
            AbnormalityNet net = AbnormalityNet.build(description.spec());
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            if (weights) {
                readWeights(net, model, dir.resolve(WEIGHTS));
            }
            return new LoadedModel.Member(name, model, net, description, dir);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
