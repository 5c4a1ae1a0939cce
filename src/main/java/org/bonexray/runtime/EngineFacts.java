package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bonexray.io.SystemMemory;

/**
 * What the engine will run on, read from the loaded PyTorch engine, the environment and the host: the facts
 * {@code bonexray doctor} prints, and the description a refused device names.
 */
public final class EngineFacts {
    private static final Pattern FLAVOR_IN_FOLDER = Pattern.compile("-(cpu|cu\\d+)(-precxx11)?-");
    /** Settings shown when set (the offline pair and OMP_NUM_THREADS have lines of their own). */
    private static final List<String> ENVIRONMENT = List.of("BONEXRAY_LIBTORCH", "PYTORCH_LIBRARY_PATH",
            "PYTORCH_VERSION", "PYTORCH_FLAVOR", "DJL_CACHE_DIR", "BONEXRAY_THREADS", "BONEXRAY_MALLOC",
            "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX",
            "GLIBC_TUNABLES");

    private EngineFacts() {
    }

    /**
     * The line a command prints at start: where it computes and in which precision, and why for {@code auto}.
     *
     * @param devices the resolved devices
     * @param asked the precision as given ({@code auto} by default)
     * @return e.g. {@code Device cpu, precision bf16 (auto: the CPU has bf16 units (avx512_bf16)).}
     */
    public static String startLine(Device[] devices, Precision asked) {
        Precision resolved = asked.resolve(devices[0]);
        String why = asked != Precision.AUTO ? "" : devices[0].isGpu() ? " (auto, on a GPU)"
                : " (auto: " + Precision.cpuReason(CpuFeatures.host()) + ")";
        return "Device " + DeviceChoice.describe(devices) + ", precision " + resolved.label() + why + ".";
    }

    /** @return the libtorch in use, for messages: version, flavor and folder */
    public static String libtorchDescription() {
        Engine engine = Engine.getInstance();
        return "libtorch " + engine.getVersion() + ", flavor " + flavor() + ", from " + LibUtils.getLibtorchPath();
    }

    /**
     * @return the libtorch build's flavor: {@code cpu}, {@code cu128}... from {@code PYTORCH_FLAVOR} when set, else
     *     read from DJL's folder name, else {@code unknown} (a user's libtorch in a folder of their own)
     */
    public static String flavor() {
        String set = System.getenv("PYTORCH_FLAVOR");
        if (set != null && !set.isBlank()) {
            return set.strip();
        }
        Matcher m = FLAVOR_IN_FOLDER.matcher(String.valueOf(LibUtils.getLibtorchPath()));
        return m.find() ? m.group(1) : "unknown";
    }

    /**
     * Gathers the facts, in the order {@code doctor} prints them.
     *
     * @param devices the devices a command would use (from {@link DeviceChoice#resolve()})
     * @return name-value pairs
     */
    public static Map<String, String> gather(Device... devices) {
        Engine engine = Engine.getInstance();
        CpuFeatures cpu = CpuFeatures.host();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("engine", engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")");
        facts.put("flavor", flavor());
        facts.put("library", String.valueOf(LibUtils.getLibtorchPath()));
        facts.put("GPUs seen", gpus(engine.getGpuCount()));
        facts.put("devices used", DeviceChoice.describe(devices));
        facts.put("CPU", cpu.model() + ", " + cpu.logicalCpus() + " logical CPUs" + (cpu.hasAvx512() ? ", AVX-512" : ""));
        facts.put("bf16 units", cpu.hasBf16Units() ? String.join(", ", cpu.bf16Units()) : "none");
        Device primary = devices[0];
        facts.put("precision auto", Precision.AUTO.resolve(primary).label() + " on " + DeviceChoice.describe(primary)
                + (primary.isGpu() ? "" : " (" + Precision.cpuReason(cpu) + ")"));
        facts.put("threads", "intra-op " + JniUtils.getNumThreads() + ", inter-op " + JniUtils.getNumInteropThreads()
                + ", OMP_NUM_THREADS " + orUnset(System.getenv("OMP_NUM_THREADS")));
        facts.put("memory", String.format(Locale.ROOT, "%s, Java heap up to %.1f GiB", totalMemory(),
                Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
        facts.put("huge pages", SystemMemory.transparentHugePages());
        facts.put("DJL cache", String.valueOf(Utils.getEngineCacheDir()));
        facts.put("offline", "DJL_OFFLINE=" + orUnset(System.getenv("DJL_OFFLINE")) + ", OPT_OUT_TRACKING="
                + orUnset(System.getenv("OPT_OUT_TRACKING")));
        for (String name : ENVIRONMENT) {
            String value = System.getenv(name);
            if (value != null) {
                facts.put("env " + name, value);
            }
        }
        return facts;
    }

    /**
     * Runs a small computation and a TorchScript module on a device: whether the engine can work there.
     *
     * @param device the device
     * @return null when it works, else what failed
     */
    public static String check(Device device) {
        try (NDManager manager = NDManager.newBaseManager(device);
             DenseBlockKernel kernel = DenseBlockKernel.load(device)) {
            NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(64, 64));
            float sum = x.matMul(x).sum().getFloat();
            return sum == 64f * 64 * 64 ? null : "a 64x64 matrix product gave " + sum + " on " + device;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static String gpus(int count) {
        if (count == 0) {
            return "none";
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
            each.add(String.format(Locale.ROOT, "gpu:%d (compute capability %s, %.1f GiB)", i,
                    CudaUtils.getComputeCapability(i), memory.getMax() / (double) (1L << 30)));
        }
        return String.join("; ", each);
    }

    private static String totalMemory() {
        return SystemMemory.now().map(m -> String.format(Locale.ROOT, "%.1f GiB %s", m.totalGib(),
                m.groupLimited() ? "(this control group's limit)" : "RAM")).orElse("unknown RAM");
    }

    private static String orUnset(String value) {
        return value == null ? "(unset)" : value;
    }
}
