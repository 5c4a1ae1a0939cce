package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a command computes, as the user chose it ({@code --device auto|cpu|gpu|gpu:N}), parsed once and resolved
 * against the devices the engine sees. Every command that runs a network takes it from here, so the words, the
 * defaults and the refusal of a missing GPU are the same everywhere.
 *
 * <ul>
 *   <li>{@code auto}: every GPU the engine sees, or the CPU when it sees none;
 *   <li>{@code cpu}: the CPU;
 *   <li>{@code gpu}: every GPU (training splits each batch across them; inference uses the first);
 *   <li>{@code gpu:N}: GPU number N only.
 * </ul>
 *
 * @param kind which of the four
 * @param index the GPU's number for {@link Kind#GPU_N}, else -1
 */
public record DeviceChoice(Kind kind, int index) {
    /** The forms of {@code --device}. */
    public enum Kind { AUTO, CPU, GPU, GPU_N }

    /** The default of every command. */
    public static final DeviceChoice AUTO = new DeviceChoice(Kind.AUTO, -1);
    /** The CPU, whatever else is there. */
    public static final DeviceChoice CPU = new DeviceChoice(Kind.CPU, -1);
    /** Where the docs say how to give the engine a GPU. */
    public static final String SETUP_DOC = "docs/DEVICES.md";

    public DeviceChoice {
        if ((kind == Kind.GPU_N) != (index >= 0)) {
            throw new IllegalArgumentException("a device index goes with gpu:N only");
        }
    }

    /**
     * @param text {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}, any case
     * @return the choice
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static DeviceChoice parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        switch (t) {
            case "auto": return AUTO;
            case "cpu": return CPU;
            case "gpu": return new DeviceChoice(Kind.GPU, -1);
            default:
                if (t.matches("gpu:\\d{1,3}")) {
                    return new DeviceChoice(Kind.GPU_N, Integer.parseInt(t.substring(4)));
                }
                throw new IllegalArgumentException("unknown device '" + text + "': expected auto, cpu, gpu or gpu:N");
        }
    }

    /** @return the choice as the command line writes it */
    public String label() {
        return kind == Kind.GPU_N ? "gpu:" + index : kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Resolves the choice against the GPUs the PyTorch engine sees.
     *
     * @return the devices, the first being where the model's weights live
     * @throws DeviceUnavailableException for a GPU the engine does not see, saying how to give it one
     */
    public Device[] resolve() {
        return resolve(kind == Kind.CPU ? 0 : Engine.getInstance().getGpuCount());
    }

    /**
     * @param gpuCount how many GPUs the engine sees
     * @return the devices for that count
     * @throws DeviceUnavailableException for a GPU beyond the count
     */
    Device[] resolve(int gpuCount) {
        return switch (kind) {
            case CPU -> new Device[] {Device.cpu()};
            case AUTO -> gpuCount > 0 ? gpus(gpuCount) : new Device[] {Device.cpu()};
            case GPU -> {
                if (gpuCount == 0) {
                    throw DeviceUnavailableException.noGpu(label());
                }
                yield gpus(gpuCount);
            }
            case GPU_N -> {
                if (index >= gpuCount) {
                    throw gpuCount == 0 ? DeviceUnavailableException.noGpu(label())
                            : new DeviceUnavailableException("--device " + label() + ": the PyTorch engine sees "
                                    + gpuCount + " GPU(s), numbered 0 to " + (gpuCount - 1));
                }
                yield new Device[] {Device.gpu(index)};
            }
        };
    }

    /** @return the devices written for people and manifests: {@code cpu}, {@code gpu:0}, {@code gpu:0,gpu:1} */
    public static String describe(Device... devices) {
        return Arrays.stream(devices).map(d -> d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu")
                .collect(Collectors.joining(","));
    }

    private static Device[] gpus(int count) {
        List<Device> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(Device.gpu(i));
        }
        return all.toArray(Device[]::new);
    }
}
