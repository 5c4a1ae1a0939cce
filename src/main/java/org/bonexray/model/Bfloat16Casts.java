package org.bonexray.model;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bonexray.io.AtomicFiles;

/**
 * Casts arrays between fp32 and bfloat16 inside libtorch, for DJL 0.36, whose PyTorch engine cannot name bf16:
 * {@code toType(BFLOAT16)} and creating a bf16 array abort the JVM (the engine's type switch stops at
 * complex64). Every other operation passes tensors through by handle, whatever their type, so a bf16 tensor
 * made inside libtorch runs through DJL's convolutions, batch norms and linear layers (they report their type as
 * {@code UNKNOWN}).
 *
 * <p>The casts are two one-line TorchScript modules ({@code torch.to(x, dtype)}) that this class writes itself
 * (the archive layout of {@code torch.jit.save}: a pickled module object, its class's TorchScript source,
 * constants and version) and loads through DJL, so there is no Python at build or run time and no second model
 * definition: the network stays the DJL one. In training mode the casts are recorded by autograd, so gradients
 * of bf16 weights copies reach the fp32 weights as fp32, the way autocast works. A cast keeps the memory format
 * (a channels-last batch stays channels-last).
 */
public final class Bfloat16Casts implements AutoCloseable {
    /** c10::ScalarType codes of the two targets. */
    private static final int TORCH_FLOAT32 = 6;
    private static final int TORCH_BFLOAT16 = 15;

    private final Model toBfloat16;
    private final Model toFloat32;

    private Bfloat16Casts(Model toBfloat16, Model toFloat32) {
        this.toBfloat16 = toBfloat16;
        this.toFloat32 = toFloat32;
    }

    /**
     * Writes the two cast modules to a temporary directory, loads them into the PyTorch engine and deletes the
     * directory.
     *
     * @return the loaded casts; close them when done
     */
    public static Bfloat16Casts load() {
        Path dir = null;
        Model bf16 = null;
        try {
            dir = Files.createTempDirectory("bonexray-casts");
            bf16 = loadCast(dir, "ToBfloat16", TORCH_BFLOAT16);
            Model fp32 = loadCast(dir, "ToFloat32", TORCH_FLOAT32);
            return new Bfloat16Casts(bf16, fp32);
        } catch (IOException | RuntimeException e) {
            if (bf16 != null) {
                bf16.close();
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("could not write the bf16 cast modules: " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * @param x an fp32 array
     * @param training whether autograd should record the cast (training steps)
     * @return x in bfloat16, attached to x's manager
     */
    public NDArray toBfloat16(NDArray x, boolean training) {
        return cast(toBfloat16, x, training);
    }

    /**
     * @param x a bfloat16 (or any floating) array
     * @param training whether autograd should record the cast
     * @return x in fp32, attached to x's manager
     */
    public NDArray toFloat32(NDArray x, boolean training) {
        return cast(toFloat32, x, training);
    }

    private static NDArray cast(Model module, NDArray x, boolean training) {
        // The profiling graph executor would specialise the one-op graph for every shape it sees (hundreds of
        // weight shapes): plain interpretation is what a single cast needs. The setting is per thread in libtorch.
        JniUtils.setGraphExecutorOptimize(false);
        NDArray out = IValueUtils.forward((PtSymbolBlock) module.getBlock(), new NDList(x), training).singletonOrThrow();
        out.attach(x.getManager());
        return out;
    }

    @Override
    public void close() {
        try (toBfloat16; toFloat32) {
            // both closed, even if one fails
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            AtomicFiles.deleteRecursively(dir);
        } catch (IOException e) {
            // a few hundred bytes left in the temporary directory; the casts are loaded either way
        }
    }

    private static Model loadCast(Path dir, String className, int scalarType) throws IOException {
        Path file = dir.resolve(className + ".pt");
        writeCastModule(file, className, scalarType);
        Model model = Model.newInstance(className, "PyTorch");
        try {
            model.load(dir, className);
            return model;
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("the PyTorch engine refused the " + className + " cast module: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a TorchScript archive holding one module whose forward returns {@code torch.to(x, scalarType)}.
     *
     * @param file the {@code .pt} file to write
     * @param className the module's class name, also the archive's top folder
     * @param scalarType the c10::ScalarType code of the result
     */
    static void writeCastModule(Path file, String className, int scalarType) throws IOException {
        String source = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__." + className + ",\n"
                + "    x: Tensor) -> Tensor:\n"
                + "    return torch.to(x, " + scalarType + ")\n";
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                stored(zip, className + "/data.pkl", moduleObjectPickle(className));
                stored(zip, className + "/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
                stored(zip, className + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // empty tuple
                stored(zip, className + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
    }

    /**
     * The pickle (protocol 2) of a {@code __torch__.className} object whose only attribute is
     * {@code training = True}: PROTO, GLOBAL, EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, BINUNICODE, NEWTRUE,
     * SETITEMS, BUILD, STOP.
     */
    private static byte[] moduleObjectPickle(String className) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.write(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {')', (byte) 0x81, '}', '('});
        byte[] name = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X');
        p.write(new byte[] {(byte) name.length, 0, 0, 0}); // little-endian length
        p.write(name);
        p.write(new byte[] {(byte) 0x88, 'u', 'b', '.'});
        return p.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
