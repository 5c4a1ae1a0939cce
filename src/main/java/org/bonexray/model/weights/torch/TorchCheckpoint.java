package org.bonexray.model.weights.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bonexray.data.DataException;
import org.bonexray.model.weights.format.RawTensor;
import org.bonexray.model.weights.format.StateDict;
import org.bonexray.model.weights.format.WeightsFormat;

/**
 * Reads PyTorch checkpoint files ({@code .pth}, {@code .pt}, {@code .bin}, {@code .ckpt}) of either serialisation
 * without running Python and without calling anything the pickle names (see {@link SafeUnpickler} and
 * {@link TorchGlobal} for what is allowed). Tensors come out in their stored type; nothing a header claims is
 * allocated before it is checked against the bytes present.
 */
public final class TorchCheckpoint {
    private TorchCheckpoint() {
    }

    /** Whether the first bytes of a file are a legacy checkpoint's (zip ones are told apart by their entries). */
    public static boolean sniffLegacy(byte[] head) {
        return LegacyCheckpoint.sniff(head);
    }

    /** Whether a zip file is a torch checkpoint rather than, say, an npz. */
    public static boolean isTorchZip(java.util.zip.ZipFile zip) {
        return ZipCheckpoint.isCheckpoint(zip);
    }

    /**
     * Reads the state dict of a checkpoint.
     *
     * @param format {@link WeightsFormat#TORCH_ZIP} or {@link WeightsFormat#TORCH_LEGACY}
     * @throws DataException when the file is malformed or its pickle asks for anything not allowed (the message
     *     names the global, the opcode or the claim that was refused)
     */
    public static StateDict read(Path file, WeightsFormat format) {
        try (Checkpoint checkpoint = open(file, format)) {
            StateDictLocator.Located located = StateDictLocator.locate(checkpoint.root());
            Set<String> keys = new LinkedHashSet<>();
            located.tensors().values().forEach(t -> keys.add(t.storage().key()));
            Map<String, ByteBuffer> storages = checkpoint.storages(keys);
            List<RawTensor> tensors = new ArrayList<>();
            located.tensors().forEach((key, t) -> tensors.add(t.materialize(key, storages.get(t.storage().key()))));
            return new StateDict(tensors, format, notes(located, checkpoint), located.moduleClass());
        } catch (BadCheckpointException | IllegalArgumentException | ArithmeticException e) {
            throw new DataException(file, "cannot read " + format.description() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(file, "cannot read weights: " + e.getMessage(), e);
        }
    }

    /**
     * The top module class of a whole pickled module, read from the pickle alone (no storage is read), or empty
     * for a plain state dict.
     *
     * @throws DataException as {@link #read}
     */
    public static Optional<String> moduleClass(Path file, WeightsFormat format) {
        try (Checkpoint checkpoint = open(file, format)) {
            return StateDictLocator.locate(checkpoint.root()).moduleClass();
        } catch (BadCheckpointException | IllegalArgumentException | ArithmeticException e) {
            throw new DataException(file, "cannot read " + format.description() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataException(file, "cannot read weights: " + e.getMessage(), e);
        }
    }

    private static Checkpoint open(Path file, WeightsFormat format) throws IOException {
        return switch (format) {
            case TORCH_ZIP -> ZipCheckpoint.open(file);
            case TORCH_LEGACY -> LegacyCheckpoint.open(file);
            default -> throw new IllegalArgumentException(format + " is not a torch checkpoint format");
        };
    }

    private static List<String> notes(StateDictLocator.Located located, Checkpoint checkpoint) {
        List<String> notes = new ArrayList<>(located.notes());
        if (!checkpoint.moduleClasses().isEmpty()) {
            notes.add("module classes named (recorded, never built): " + String.join(", ", checkpoint.moduleClasses()));
        }
        return notes;
    }
}
