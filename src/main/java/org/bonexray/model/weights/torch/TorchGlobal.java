package org.bonexray.model.weights.torch;

import java.util.HashSet;
import java.util.List;
import net.razorvine.pickle.IObjectConstructor;
import org.bonexray.model.weights.format.DType;

/**
 * The globals a checkpoint's pickle may name, modelled on {@code torch.load(weights_only=True)}: containers,
 * the tensor and parameter rebuild functions, the storage types; plus, for whole pickled modules (torchxrayvision's
 * published weights are {@code torch.save(model)} files), the module classes of the packages named in
 * {@link #MODULE_PACKAGES}, which become inert records. Anything else is refused by name, and nothing a pickle
 * names is ever called: "construction" here only builds Java records from the arguments. A few inert data
 * classes that training checkpoints keep beside the weights are allowed too (Lightning's {@code AttributeDict},
 * {@code argparse.Namespace}, numpy scalars), as plain dicts or records whose content is never used.
 *
 * @param module the Python module, for example {@code torch._utils}
 * @param name the name in it, for example {@code _rebuild_tensor_v2}
 * @param kind what bonexray makes of it
 * @param dtype the element type, for storage types
 */
record TorchGlobal(String module, String name, Kind kind, DType dtype) implements IObjectConstructor {
    /** Packages whose {@code nn.Module} classes a whole pickled module may use (recorded by name, never built). */
    static final List<String> MODULE_PACKAGES = List.of("torch.nn.modules.", "torchvision.models.densenet.",
            "torchxrayvision.models.");

    /** What an allowed global stands for. */
    enum Kind { DICT, SET, REBUILD_TENSOR, REBUILD_TENSOR_V2, REBUILD_PARAMETER, STORAGE_TYPE, MODULE_CLASS, OLD_BACKEND,
        DATA_RECORD, LATIN1_BYTES }

    /**
     * The allowed global {@code module.name}.
     *
     * @throws UnsafePickleException naming it, when it is not allowed
     */
    static TorchGlobal resolve(String module, String name) {
        String full = module + "." + name;
        Kind kind = switch (full) {
            case "collections.OrderedDict" -> Kind.DICT;
            case "builtins.set", "__builtin__.set" -> Kind.SET;
            case "torch._utils._rebuild_tensor" -> Kind.REBUILD_TENSOR;
            case "torch._utils._rebuild_tensor_v2" -> Kind.REBUILD_TENSOR_V2;
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> Kind.REBUILD_PARAMETER;
            // modules pickled by torch < 1.0 keep a reference to this backend factory; it is recorded, not called
            case "torch.nn.backends.thnn._get_thnn_function_backend" -> Kind.OLD_BACKEND;
            // Lightning's hyper-parameters are a dict subclass: taken as a plain dict
            case "pytorch_lightning.utilities.parsing.AttributeDict", "lightning.fabric.utilities.data.AttributeDict",
                 "lightning_fabric.utilities.data.AttributeDict" -> Kind.DICT;
            // training scripts save their arguments and numpy scalars beside the weights: inert records, never built
            // how protocol 2 writes a bytes value: _codecs.encode(text, 'latin1'), here decoded as data
            case "_codecs.encode" -> Kind.LATIN1_BYTES;
            case "argparse.Namespace", "numpy.core.multiarray.scalar", "numpy.dtype" -> Kind.DATA_RECORD;
            default -> null;
        };
        DType storage = module.equals("torch") ? DType.fromTorchStorage(name) : null;
        if (kind == null && storage != null) {
            kind = Kind.STORAGE_TYPE;
        }
        if (kind == null && isModuleClass(module, name)) {
            kind = Kind.MODULE_CLASS;
        }
        if (kind == null) {
            throw new UnsafePickleException(full, "the checkpoint's pickle names the global '" + full + "', which is "
                    + "not a tensor, a state-dict container, a storage type or a module class of "
                    + String.join(", ", MODULE_PACKAGES).replace(".,", ".*,") + "*; bonexray refuses it and "
                    + "calls nothing a pickle names (it may be a malicious file: a pickle can run any Python code)");
        }
        return new TorchGlobal(module, name, kind, storage);
    }

    private static boolean isModuleClass(String module, String name) {
        // classes are capitalised (Conv2d, _DenseLayer); functions of those modules are not allowed
        String bare = name.replaceFirst("^_+", "");
        boolean className = !bare.isEmpty() && Character.isUpperCase(bare.charAt(0))
                && name.chars().allMatch(Character::isJavaIdentifierPart);
        return className && MODULE_PACKAGES.stream().anyMatch(p -> (module + ".").startsWith(p));
    }

    /** {@code module.name}. */
    String fullName() {
        return module + "." + name;
    }

    /** Builds the Java record the global stands for from a REDUCE / NEWOBJ's arguments; calls nothing. */
    @Override
    public Object construct(Object[] args) {
        return switch (kind) {
            case DICT -> dict(args);
            case SET -> args.length == 1 && args[0] instanceof List<?> items ? new HashSet<>(items) : new HashSet<>();
            case REBUILD_TENSOR, REBUILD_TENSOR_V2 -> tensor(args);
            case REBUILD_PARAMETER -> parameter(args);
            case MODULE_CLASS, OLD_BACKEND -> new InertObject(fullName(), false);
            case DATA_RECORD -> new InertObject(fullName(), true);
            case LATIN1_BYTES -> latin1(args);
            case STORAGE_TYPE -> throw new UnsafePickleException(fullName(), "the checkpoint's pickle calls the storage "
                    + "type '" + fullName() + "' directly; storages are only read through persistent ids");
        };
    }

    private PickledDict dict(Object[] args) {
        PickledDict dict = new PickledDict();
        if (args.length == 1 && args[0] instanceof List<?> pairs) {
            for (Object pair : pairs) {
                Object[] kv = Arguments.tuple(pair, 2, "an OrderedDict item");
                dict.put(kv[0], kv[1]);
            }
        } else if (args.length != 0) {
            throw new BadCheckpointException("an OrderedDict with " + args.length + " arguments");
        }
        return dict;
    }

    private static byte[] latin1(Object[] args) {
        if (args.length != 2 || !(args[0] instanceof String text) || !(args[1] instanceof String encoding)
                || !encoding.replace("-", "").equalsIgnoreCase("latin1")) {
            throw new BadCheckpointException("_codecs.encode used otherwise than for a latin-1 bytes value");
        }
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static TensorRef tensor(Object[] args) {
        if (args.length < 4) {
            throw new BadCheckpointException("a tensor rebuilt from " + args.length + " arguments (4 or more expected)");
        }
        if (!(args[0] instanceof StorageRef storage)) {
            throw new BadCheckpointException("a tensor rebuilt from a " + Arguments.describe(args[0]) + ", not a storage");
        }
        return new TensorRef(storage, Arguments.number(args[1], "storage offset"),
                Arguments.longs(args[2], "size"), Arguments.longs(args[3], "stride"));
    }

    private static TensorRef parameter(Object[] args) {
        if (args.length < 1 || !(args[0] instanceof TensorRef data)) {
            throw new BadCheckpointException("a parameter rebuilt from something other than a tensor");
        }
        return data;
    }

    @Override
    public String toString() {
        return fullName();
    }
}
