package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bonexray.io.AtomicFiles;

/**
 * A TorchScript module whose {@code forward} this project writes as source, loaded into DJL's PyTorch engine: how
 * bonexray reaches libtorch operations that DJL 0.36 does not expose (the bfloat16 casts, the fused Adam kernel, an
 * in-place ReLU inside the dense-block kernel) or runs many of them in one call, without Python at build or run time.
 *
 * <p>The archive is the layout of {@code torch.jit.save}: a pickled object of class {@code __torch__.NAME} whose
 * only attribute is {@code training}, the class's TorchScript source, empty constants and format version 3.
 * libtorch compiles the source when DJL loads the archive; the archive is written to a temporary directory that
 * is deleted once loaded.
 */
public final class TorchScriptModule implements AutoCloseable {
    private final Model model;

    private TorchScriptModule(Model model) {
        this.model = model;
    }

    /**
     * Compiles a module with one method on the CPU.
     *
     * @see #compile(Device, String, String, String...)
     */
    public static TorchScriptModule compile(String className, String signature, String... body) {
        return compile(Device.cpu(), className, signature, body);
    }

    /**
     * Compiles a module with one method.
     *
     * @param device the device it is loaded on: the device of the arrays it will be given
     * @param className the class name, a Python identifier
     * @param signature {@code forward}'s parameters after {@code self} and its return type, as TorchScript
     *     writes them, e.g. {@code "x: Tensor) -> Tensor"}
     * @param body the method's statements, one per line, without indentation
     * @return the loaded module; close it when done
     * @throws IllegalStateException when libtorch refuses the source
     */
    public static TorchScriptModule compile(Device device, String className, String signature, String... body) {
        StringBuilder source = new StringBuilder()
                .append("class ").append(className).append("(Module):\n")
                .append("  __parameters__ = []\n")
                .append("  __buffers__ = []\n")
                .append("  training : bool\n")
                .append("  def forward(self: __torch__.").append(className).append(",\n")
                .append("    ").append(signature).append(":\n");
        for (String line : body) {
            source.append("    ").append(line).append('\n');
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("bonexray-torchscript");
            write(dir.resolve(className + ".pt"), className, source.toString());
            Model model = Model.newInstance(className, device, "PyTorch");
            try {
                model.load(dir, className);
                return new TorchScriptModule(model);
            } catch (MalformedModelException | IOException | RuntimeException e) {
                model.close();
                throw new IllegalStateException("the PyTorch engine refused the " + className + " module: "
                        + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the " + className + " module: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * Runs {@code forward} on tensors.
     *
     * @param inputs the tensor arguments, in order
     * @param training whether autograd should record the call (training steps)
     * @param owner owns the outputs
     * @return the outputs
     */
    public NDList forward(NDList inputs, boolean training, NDManager owner) {
        // The profiling graph executor would specialise a module's graph for every shape it meets (hundreds of
        // weight shapes) and time it: plain interpretation is what these few-op methods need. Per thread.
        JniUtils.setGraphExecutorOptimize(false);
        NDList outputs = IValueUtils.forward((PtSymbolBlock) model.getBlock(), inputs, training);
        outputs.attach(owner);
        return outputs;
    }

    /**
     * Runs {@code forward} for its effects (in-place updates), with any argument types; the result is discarded.
     *
     * @param arguments the arguments; this call closes them
     */
    public void run(IValue... arguments) {
        try (IValue result = invoke(false, arguments)) {
            // nothing to read: the method works in place
        }
    }

    /**
     * Runs {@code forward} with any argument types for its one tensor result.
     *
     * @param owner owns the result
     * @param recorded whether autograd may record the call (training, or inference that takes gradients); otherwise
     *     it runs in libtorch's inference mode
     * @param arguments the arguments; this call closes them
     * @return the tensor {@code forward} returns
     */
    public NDArray call(NDManager owner, boolean recorded, IValue... arguments) {
        try (IValue result = invoke(recorded, arguments)) {
            return result.toTensor((PtNDManager) owner);
        }
    }

    /** Runs {@code forward} on any arguments, closing them; the caller closes the result. */
    private IValue invoke(boolean recorded, IValue... arguments) {
        JniUtils.setGraphExecutorOptimize(false); // as in forward
        PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
        try {
            return recorded ? RecordedCall.run(block, arguments) : IValueUtils.forward(block, arguments);
        } finally {
            for (IValue argument : arguments) {
                argument.close();
            }
        }
    }

    /**
     * DJL 0.36's public call with arguments of any type ({@code IValueUtils.forward(block, IValue[])}) always runs the
     * method in inference mode, whose tensors autograd refuses to save; the engine's native call underneath takes
     * the training flag (its tensor-only {@code forward} passes it). This reaches that call, once looked up.
     */
    private static final class RecordedCall {
        private static final Object LIBRARY;
        private static final Method RUN_METHOD;
        private static final Constructor<IValue> IVALUE;

        static {
            try {
                Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
                Field instance = library.getDeclaredField("LIB");
                instance.setAccessible(true);
                LIBRARY = instance.get(null);
                RUN_METHOD = library.getDeclaredMethod(
                        "moduleRunMethod", long.class, String.class, long[].class, boolean.class, boolean.class);
                RUN_METHOD.setAccessible(true);
                IVALUE = IValue.class.getDeclaredConstructor(long.class);
                IVALUE.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError("DJL's PyTorch engine has no native method call to record: " + e);
            }
        }

        static IValue run(PtSymbolBlock block, IValue... arguments) {
            long[] handles = new long[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                handles[i] = arguments[i].getHandle();
            }
            try {
                long result = (long) RUN_METHOD.invoke(LIBRARY, block.getHandle(), "forward", handles, true, false);
                return IVALUE.newInstance(result);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("could not call DJL's native method call: " + e, e);
            }
        }
    }

    @Override
    public void close() {
        model.close();
    }

    /** Writes the archive of {@code __torch__.className} with the given class source. */
    private static void write(Path file, String className, String source) throws IOException {
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

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            AtomicFiles.deleteRecursively(dir);
        } catch (IOException e) {
            // a few hundred bytes left in the temporary directory; the module is loaded either way
        }
    }
}
