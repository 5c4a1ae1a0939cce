package org.bonexray.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.bonexray.data.DataException;
import org.bonexray.io.Sha256;
import org.bonexray.model.weights.format.DType;
import org.bonexray.model.weights.format.RawTensor;
import org.bonexray.model.weights.format.SafetensorsFile;
import org.bonexray.model.weights.format.StateDict;
import org.bonexray.model.weights.format.WeightsFormat;
import org.bonexray.model.weights.torch.TorchCheckpoint;

/**
 * The one entry for reading any weight file bonexray accepts: safetensors, npz, and PyTorch checkpoints in the
 * zip and legacy serialisations (torchvision's {@code .pth}, timm's {@code pytorch_model.bin}, Lightning's
 * {@code .ckpt}, whole pickled modules such as torchxrayvision's). The format is decided by content.
 */
public final class WeightsFiles {
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** torch.hub's HASH_REGEX, limited to 8 or more digits so that names like {@code run-2.pth} are not taken for it. */
    private static final Pattern TORCH_HUB_NAME = Pattern.compile(".*-([0-9a-f]{8,64})\\.[A-Za-z0-9]+");

    private WeightsFiles() {
    }

    /**
     * The format of a file, from its first bytes (and, for zip files, its entries).
     *
     * @throws DataException when the file is missing, unreadable or none of the formats
     */
    public static WeightsFormat detect(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file, "no such weights file");
        }
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(16);
            }
            if (SafetensorsFile.sniff(head, Files.size(file))) {
                return WeightsFormat.SAFETENSORS;
            }
            if (TorchCheckpoint.sniffLegacy(head)) {
                return WeightsFormat.TORCH_LEGACY;
            }
            if (head.length >= 4 && java.util.Arrays.equals(head, 0, 4, ZIP_MAGIC, 0, 4)) {
                return zipKind(file);
            }
            throw new DataException(file, "not a weights file bonexray reads (safetensors, npz, or a PyTorch .pth/.pt/"
                    + ".bin/.ckpt checkpoint); " + (isTar(file) ? "it is a tar archive, the format of torch before 0.1.10,"
                    + " which is not read: load it in PyTorch and save its state_dict again" : "its first bytes match none"));
        } catch (IOException e) {
            throw new DataException(file, "cannot read weights: " + e.getMessage(), e);
        }
    }

    /**
     * Reads every tensor of a weight file of any accepted format. A file named as torch.hub names its downloads
     * ({@code NAME-XXXXXXXX.pth}, 8 or more hex digits before the extension) must have a SHA-256 starting with
     * those digits, as torch.hub checks; one that does not is refused as renamed or corrupted.
     */
    public static StateDict read(Path file) {
        WeightsFormat format = detect(file);
        Optional<String> hubCheck = checkTorchHubName(file);
        StateDict read = switch (format) {
            case SAFETENSORS -> SafetensorsFile.read(file);
            case NPZ -> readNpz(file);
            case TORCH_ZIP, TORCH_LEGACY -> TorchCheckpoint.read(file, format);
        };
        return hubCheck.map(note -> read.with(read.tensors().values(), List.of(note))).orElse(read);
    }

    /** The hex digits of a torch.hub file name ({@code densenet169-b2777c0a.pth} gives {@code b2777c0a}), if any. */
    public static Optional<String> torchHubPrefix(Path file) {
        Matcher m = TORCH_HUB_NAME.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<String> checkTorchHubName(Path file) {
        Optional<String> prefix = torchHubPrefix(file);
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        try {
            String actual = Sha256.of(file);
            if (!actual.startsWith(prefix.get())) {
                throw new DataException(file, "its name says its SHA-256 starts with " + prefix.get() + " (torch.hub's"
                        + " naming) but it is " + actual + ": a renamed, truncated or corrupted file");
            }
            return Optional.of("SHA-256 starts with " + prefix.get() + ", as its torch.hub file name says");
        } catch (IOException e) {
            throw new DataException(file, "cannot read weights: " + e.getMessage(), e);
        }
    }

    /** The top class of a whole pickled module (torchxrayvision's files), without reading any tensor. */
    public static Optional<String> moduleClass(Path file) {
        WeightsFormat format = detect(file);
        return format == WeightsFormat.TORCH_ZIP || format == WeightsFormat.TORCH_LEGACY
                ? TorchCheckpoint.moduleClass(file, format) : Optional.empty();
    }

    private static WeightsFormat zipKind(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (TorchCheckpoint.isTorchZip(zip)) {
                return WeightsFormat.TORCH_ZIP;
            }
            if (!zip.stream().toList().isEmpty() && zip.stream().allMatch(e -> e.getName().endsWith(".npy"))) {
                return WeightsFormat.NPZ;
            }
            throw new DataException(file, "a zip file that is neither a PyTorch checkpoint (one NAME/data.pkl) nor an"
                    + " npz (only .npy entries)");
        } catch (ZipException e) {
            throw new DataException(file, "a damaged zip file: " + e.getMessage(), e);
        }
    }

    private static boolean isTar(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(262);
            return head.length == 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    /** npz through DJL's decoder (numpy has no bfloat16, so nothing here can abort), copied out as raw tensors. */
    private static StateDict readNpz(Path file) {
        try (NDManager manager = NDManager.newBaseManager();
             InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            List<RawTensor> tensors = new ArrayList<>();
            NDList arrays = NDList.decode(manager, in);
            for (NDArray a : arrays) {
                DType dtype = DType.fromNumpy(a.getDataType().asNumpy());
                if (a.getName() == null || dtype == null) {
                    throw new DataException(file, "an npz entry " + (a.getName() == null ? "without a name"
                            : a.getName() + " of type " + a.getDataType()));
                }
                ByteBuffer bytes = a.toByteBuffer();
                ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
                tensors.add(new RawTensor(a.getName(), dtype, a.getShape().getShape(), copy));
            }
            return new StateDict(tensors, WeightsFormat.NPZ, Collections.emptyList(), Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new DataException(file, "not a valid npz weights file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(file, "cannot read weights: " + e.getMessage(), e);
        }
    }
}
