package org.bonexray.runtime;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The number format a network computes in. Weights, optimizer state, losses and outputs stay fp32 in both; only
 * the work inside the network changes. {@link #AUTO} is a choice, not a format: it is resolved once at start
 * ({@link #resolve(Device)}), and only the resolved format is run, printed and recorded.
 */
public enum Precision {
    /** 32-bit floats throughout. */
    FP32,
    /**
     * bfloat16 convolutions, linear layers and activations over fp32 master weights, as PyTorch's CPU autocast:
     * each step casts the weights, gradients flow back through the casts to the fp32 weights, batch norms keep fp32
     * parameters and running statistics, and the logits come back in fp32 ({@link Bfloat16Casts}).
     */
    BF16,
    /**
     * bf16 where the device computes it in hardware (a CPU with AVX512-BF16 or AMX units, a GPU of compute
     * capability 8.0 or more), fp32 elsewhere.
     */
    AUTO;

    /** @return the name on the command line and in JSON: {@code fp32}, {@code bf16} or {@code auto} */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code fp32}, {@code bf16} or {@code auto}, any case
     * @return the precision
     * @throws IllegalArgumentException naming the accepted values
     */
    @JsonCreator
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "': expected fp32, bf16 or auto");
    }

    /**
     * @param device the device the network runs on
     * @return this precision, or for {@link #AUTO} the one the device computes fastest: {@link #BF16} or
     *     {@link #FP32}
     */
    public Precision resolve(Device device) {
        if (this != AUTO) {
            return this;
        }
        String capability = device.isGpu() ? CudaUtils.getComputeCapability(device.getDeviceId()) : null;
        return resolve(device.isGpu(), capability, CpuFeatures.host());
    }

    /**
     * @param gpu whether the network runs on a GPU
     * @param computeCapability the GPU's CUDA compute capability as CUDA writes it ({@code "86"}), or null
     * @param cpu the host CPU's features
     * @return this precision, or {@link #AUTO} resolved for that hardware
     */
    Precision resolve(boolean gpu, String computeCapability, CpuFeatures cpu) {
        if (this != AUTO) {
            return this;
        }
        if (gpu) {
            return gpuMajor(computeCapability) >= 8 ? BF16 : FP32;
        }
        return cpu.hasBf16Units() ? BF16 : FP32;
    }

    /** Why {@link #AUTO} resolves as it does on a CPU, for the line printed at start. */
    public static String cpuReason(CpuFeatures cpu) {
        return cpu.hasBf16Units() ? "the CPU has bf16 units (" + String.join(", ", cpu.bf16Units()) + ")"
                : "the CPU has no bf16 units (no avx512_bf16 or amx_bf16)";
    }

    private static int gpuMajor(String capability) {
        if (capability == null || capability.length() < 2 || !capability.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Integer.parseInt(capability.substring(0, capability.length() - 1));
    }
}
