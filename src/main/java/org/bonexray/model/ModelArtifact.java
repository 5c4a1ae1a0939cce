package org.bonexray.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
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
import java.security.MessageDigest;
import java.util.List;
import org.bonexray.data.DataException;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.io.Sha256;

/**
 * A saved model: a directory with {@code model.json} (network spec, preprocessing, decision threshold),
 * {@code weights.params} (DJL's parameter format) and {@code manifest.json} (how it was made). The
 * preprocessing travels with the weights, so a model always sees at inference what it saw in training.
 */
public final class ModelArtifact {
    /** Version of the directory layout, bumped when it changes incompatibly. */
    public static final int FORMAT = 1;
    static final String DESCRIPTION = "model.json";
    static final String WEIGHTS = "weights.params";
    static final String MANIFEST = "manifest.json";

    /**
     * What {@code model.json} holds.
     *
     * @param format layout version
     * @param spec how to build the network
     * @param preprocessing how images are turned into inputs
     * @param threshold study decision threshold (abnormal when the probability is above it)
     */
    public record Description(int format, ModelSpec spec, Preprocessing preprocessing, double threshold) {
    }

    private ModelArtifact() {
    }

    /**
     * A short stable id: the first 16 hex digits of SHA-256 over {@code model.json} and the weights; what the service,
     * the PACS scorer and {@code score} name a model by.
     */
    public static String id(Path modelDir) {
        try {
            MessageDigest sha = Sha256.newDigest();
            for (String name : List.of(DESCRIPTION, WEIGHTS)) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(modelDir.resolve(name)), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return Sha256.hex(sha).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model to identify it", e);
        }
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
        AtomicFiles.write(file, out -> {
            DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(out));
            block.saveParameters(dos);
            dos.flush();
        });
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
            if (d.format() != FORMAT) {
                throw new DataException(file, "model format " + d.format() + " is not supported (this bonexray reads " + FORMAT + ")");
            }
            return d;
        } catch (IOException e) {
            throw new DataException(file, "unreadable model description: " + e.getMessage(), e);
        }
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
        Model model = Model.newInstance("bonexray", device);
        try {
            AbnormalityNet net = AbnormalityNet.build(description.spec());
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            if (weights) {
                readWeights(net, model, dir.resolve(WEIGHTS));
            }
            return new LoadedModel(model, net, description, readManifest(dir), dir);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
