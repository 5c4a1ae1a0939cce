package org.bonexray.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.Versions;
import org.bonexray.io.ProcessMemory;
import org.bonexray.io.StopSignal;
import org.bonexray.runtime.Bfloat16Casts;
import org.bonexray.runtime.CpuFeatures;
import org.bonexray.runtime.Precision;

/**
 * The engine's measured compute ceiling: a large square matrix product through DJL ({@code torch.matmul}, oneDNN's
 * or MKL's GEMM), in fp32 or in bf16 over the {@link Bfloat16Casts}, as GFLOP/s (2 N^3 per product). It is what
 * "percent of peak" in the benchmarks is checked against: a network cannot beat its engine's best GEMM.
 */
public final class Roofline {
    private Roofline() {
    }

    /**
     * @param side the matrices' side N
     * @param precision fp32 or bf16
     * @param warmup untimed products
     * @param iterations timed products
     * @return the result; images per second is products per second, the GFLOP/s are in the details
     */
    public static BenchResult run(int side, Precision precision, int warmup, int iterations) {
        if (precision == Precision.AUTO) {
            throw new IllegalArgumentException("resolve the precision first");
        }
        List<Double> seconds = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
             Bfloat16Casts casts = Bfloat16Casts.load(Device.cpu())) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(side, side));
            NDArray b = manager.randomUniform(-1, 1, new Shape(side, side));
            if (precision == Precision.BF16) {
                a = casts.toBfloat16(a, false);
                b = casts.toBfloat16(b, false);
            }
            for (int i = 0; i < warmup + iterations; i++) {
                StopSignal.checkpoint();
                try (NDManager product = manager.newSubManager()) {
                    long start = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.attach(product);
                    casts.toFloat32(c, false).getFloat(0, 0); // the product is done once a value is read
                    if (i >= warmup) {
                        seconds.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
        }
        Timings timings = new Timings(seconds);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("gflops_per_s", 2.0 * side * side * side / timings.median() / 1e9);
        details.put("best_gflops_per_s", 2.0 * side * side * side / timings.min() / 1e9);
        details.put("cpu", CpuFeatures.host().model());
        details.put("bf16_units", String.join(",", CpuFeatures.host().bf16Units()));
        return new BenchResult("matmul", "matmul" + side, side, 1, "-", precision.label(), Versions.engineThreads(),
                warmup, timings, timings.imagesPerSecond(1), ProcessMemory.now(), details);
    }
}
