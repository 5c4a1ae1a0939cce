package org.bonexray.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the host CPU can compute fast, read from the kernel's flags ({@code /proc/cpuinfo} on Linux): the model
 * name and the bfloat16 units ({@code avx512_bf16}: AVX-512 dot products of bf16 pairs; {@code amx_bf16} with
 * {@code amx_tile}: Intel's matrix tiles). {@link Precision#AUTO} computes in bf16 only where one of them exists,
 * since elsewhere oneDNN emulates bf16 with fp32 arithmetic plus conversions, slower than fp32.
 *
 * <p>Hand-rolled: no maintained Java library reads these flags, and the JDK does not expose them.
 */
public record CpuFeatures(String model, int logicalCpus, Set<String> flags) {
    /** The kernel's flags that mean bf16 arithmetic in hardware, in the order {@link #bf16Units()} lists them. */
    private static final List<String> BF16_UNITS = List.of("avx512_bf16", "amx_bf16");
    /** cpuinfo is a few KB per CPU; more than this is not a cpuinfo file. */
    private static final int MAX_BYTES = 4 << 20;
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static volatile CpuFeatures host;

    public CpuFeatures {
        model = model == null || model.isBlank() ? "unknown" : model.strip();
        flags = Set.copyOf(flags);
    }

    /** @return the features of the CPU this process runs on (read once); no flags where the kernel tells none */
    public static CpuFeatures host() {
        CpuFeatures h = host;
        if (h == null) {
            h = read(CPUINFO);
            host = h;
        }
        return h;
    }

    /**
     * @param cpuinfo a file in {@code /proc/cpuinfo}'s format
     * @return its features; none when the file is absent or unreadable (a non-Linux host)
     */
    static CpuFeatures read(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return new CpuFeatures(System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Set.of());
        }
        try (InputStream in = Files.newInputStream(cpuinfo)) {
            return parse(new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return new CpuFeatures(System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), Set.of());
        }
    }

    /**
     * @param cpuinfo the text of {@code /proc/cpuinfo}: one {@code key : value} block per logical CPU
     * @return the first CPU's model name, the count of CPUs, and the flags every CPU has
     */
    static CpuFeatures parse(String cpuinfo) {
        String model = null;
        int cpus = 0;
        Set<String> common = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> cpus++;
                case "model name" -> model = model == null ? value : model;
                case "flags" -> {
                    Set<String> flags = new TreeSet<>(List.of(value.toLowerCase(Locale.ROOT).split("\\s+")));
                    if (common == null) {
                        common = flags;
                    } else {
                        common.retainAll(flags);
                    }
                }
                default -> { }
            }
        }
        return new CpuFeatures(model, Math.max(cpus, 1), common == null ? Set.of() : common);
    }

    /** @return the bf16 units this CPU has ({@code avx512_bf16}, {@code amx_bf16}), possibly none */
    public List<String> bf16Units() {
        List<String> units = new ArrayList<>();
        for (String unit : BF16_UNITS) {
            if (flags.contains(unit) && (!unit.startsWith("amx") || flags.contains("amx_tile"))) {
                units.add(unit);
            }
        }
        return units;
    }

    /** @return whether bf16 arithmetic runs in hardware here */
    public boolean hasBf16Units() {
        return !bf16Units().isEmpty();
    }

    /** @return whether the CPU has AVX-512 (its fp32 FMA width doubles AVX2's) */
    public boolean hasAvx512() {
        return flags.contains("avx512f");
    }
}
