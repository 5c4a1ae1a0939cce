package org.bonexray.train;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bonexray.data.DataException;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.model.ModelArtifact;
import org.bonexray.train.optim.StatefulOptimizer;

/**
 * A run's checkpoints: {@code checkpoints/last} (weights, optimizer state, training state) replaced whole
 * after every epoch, and {@code checkpoints/best/weights.params} for the best epoch so far. Each is written
 * to a temporary directory and renamed, so kill -9 at any moment leaves the previous or the new one intact.
 */
final class Checkpoints {
    private static final String WEIGHTS = "weights.params";
    private static final String OPTIMIZER = "optimizer.ndlist";
    private static final String STATE = "state.json";
    private static final String AVERAGED = "averaged.ndlist";

    private final Path last;
    private final Path best;

    Checkpoints(Path runDir) {
        this.last = runDir.resolve("checkpoints").resolve("last");
        this.best = runDir.resolve("checkpoints").resolve("best");
    }

    /**
     * Saves the epoch's state: weights, optimizer state, the averaged weights when the run keeps them (null
     * otherwise), and the training state.
     */
    void save(Block block, StatefulOptimizer optimizer, AveragedWeights averaged, TrainingState state, NDManager manager) {
        AtomicFiles.replaceDirectory(last, dir -> {
            ModelArtifact.writeWeights(block, dir.resolve(WEIGHTS));
            try (NDManager scratch = manager.newSubManager()) {
                byte[] bytes = optimizer.exportState(scratch, block).encode();
                AtomicFiles.writeBytes(dir.resolve(OPTIMIZER), bytes);
                if (averaged != null) {
                    AtomicFiles.writeBytes(dir.resolve(AVERAGED), averaged.export(scratch).encode());
                }
            }
            AtomicFiles.writeJson(dir.resolve(STATE), state);
        });
    }

    void saveBest(Block block) {
        AtomicFiles.replaceDirectory(best, dir -> ModelArtifact.writeWeights(block, dir.resolve(WEIGHTS)));
    }

    /** Restores the averaged weights saved with {@code checkpoints/last}. */
    void restoreAveraged(AveragedWeights averaged, NDManager manager) {
        Path file = last.resolve(AVERAGED);
        try (NDManager scratch = manager.newSubManager()) {
            averaged.restore(NDList.decode(scratch, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new DataException(file, "the checkpoint has no readable averaged weights: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new DataException(file, e.getMessage(), e);
        }
    }

    Path bestWeights() {
        return best.resolve(WEIGHTS);
    }

    /** The saved training state, if a checkpoint exists (recovering one left mid-replacement by a kill). */
    Optional<TrainingState> state() {
        recover(last);
        Path file = last.resolve(STATE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), TrainingState.class));
        } catch (IOException e) {
            throw new DataException(file, "unreadable checkpoint state: " + e.getMessage(), e);
        }
    }

    /** Restores weights and optimizer state from {@code checkpoints/last} into an initialised block. */
    void restore(Block block, Model model, StatefulOptimizer optimizer) {
        ModelArtifact.readWeights(block, model, last.resolve(WEIGHTS));
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            NDList state = NDList.decode(scratch, Files.readAllBytes(last.resolve(OPTIMIZER)));
            optimizer.importState(state, block);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link AtomicFiles#replaceDirectory} renames the old directory aside before renaming the new one in;
     * a kill between the two renames leaves only the aside copy, which is then the latest complete state.
     */
    private static void recover(Path dir) {
        Path aside = dir.resolveSibling("." + dir.getFileName() + ".old");
        try {
            if (!Files.exists(dir) && Files.isDirectory(aside)) {
                Files.move(aside, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
