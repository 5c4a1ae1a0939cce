package org.bonexray.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bonexray.Versions;
import org.bonexray.model.weights.PretrainedProvenance;

/**
 * Provenance of a run (Tribuo-style): everything needed to say what produced a model and to reproduce it.
 *
 * @param bonexray bonexray version
 * @param commit git commit of the working directory, when it is a checkout
 * @param djl DJL version
 * @param pytorch libtorch version
 * @param java Java version and vendor
 * @param os operating system and architecture
 * @param device compute device
 * @param threads intra-op threads of the engine
 * @param config the training configuration
 * @param pretrainedWeights the weights file the backbone started from ({@code none} when trained from scratch)
 * @param dataRoot dataset root
 * @param dataHash content hash of the dataset index
 * @param counts studies and images per side of the patient split
 * @param startedAt when the run started
 * @param finishedAt when it finished (null while running)
 * @param imageCache folder of the resized-image cache, or {@code off} (speed only: the pixels are the same)
 * @param recomputesActivations whether training steps recomputed activations (memory and speed only: the same
 *     gradients); false in manifests written before the option existed
 * @param pretrained where the starting weights came from (catalogue entry, URL, revision, SHA-256, how verified,
 *     how their keys were mapped); null when trained from scratch and in manifests written before it existed
 */
public record RunManifest(String bonexray, String commit, String djl, String pytorch, String java, String os,
                          String device, int threads, TrainConfig config, String pretrainedWeights, String dataRoot, String dataHash,
                          Map<String, Integer> counts, String startedAt, String finishedAt, String imageCache,
                          boolean recomputesActivations, PretrainedProvenance pretrained) {

    static RunManifest start(TrainConfig config, Path dataRoot, String dataHash, Map<String, Integer> counts, String startedAt,
                             String imageCache, boolean recomputesActivations, String device) {
        return new RunManifest(Versions.bonexray(), gitCommit(), Versions.djl(), Versions.PYTORCH,
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                device, Versions.engineThreads(), config, "none", dataRoot.toAbsolutePath().toString(), dataHash, counts, startedAt, null, imageCache,
                recomputesActivations, null);
    }

    RunManifest finished() {
        return new RunManifest(bonexray, commit, djl, pytorch, java, os, device, threads, config, pretrainedWeights,
                dataRoot, dataHash, counts, startedAt, Instant.now().toString(), imageCache, recomputesActivations, pretrained);
    }

    /** This manifest with the starting weights: their file ({@code none}) and provenance (null). */
    RunManifest withPretrained(String weights, PretrainedProvenance provenance) {
        return new RunManifest(bonexray, commit, djl, pytorch, java, os, device, threads, config, weights, dataRoot,
                dataHash, counts, startedAt, finishedAt, imageCache, recomputesActivations, provenance);
    }

    /** The current git commit, or null when not in a checkout or git is absent. */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
