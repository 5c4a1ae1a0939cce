package org.bonexray.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device} and {@code --precision auto}: parsing, resolution against the hardware, refusals. */
@Timeout(60)
class DeviceAndPrecisionTest {
    private static final String TWO_CPUS = """
            processor\t: 0
            model name\t: AMD EPYC 9B45
            flags\t\t: fpu sse2 avx2 fma avx512f avx512_bf16 amx_bf16

            processor\t: 1
            model name\t: AMD EPYC 9B45
            flags\t\t: fpu sse2 avx2 fma avx512f avx512_bf16 amx_bf16 amx_tile
            """;

    @Test
    void cpuFeaturesAreTheFlagsEveryCpuHas() {
        CpuFeatures cpu = CpuFeatures.parse(TWO_CPUS);
        assertEquals("AMD EPYC 9B45", cpu.model());
        assertEquals(2, cpu.logicalCpus());
        assertTrue(cpu.hasAvx512());
        // amx_tile is on one CPU only, so AMX is not usable everywhere: avx512_bf16 alone counts
        assertEquals(List.of("avx512_bf16"), cpu.bf16Units());
        CpuFeatures amx = new CpuFeatures("x", 1, Set.of("amx_bf16", "amx_tile"));
        assertEquals(List.of("amx_bf16"), amx.bf16Units());
        CpuFeatures none = CpuFeatures.parse("processor : 0\nflags : sse2 avx2 fma\n");
        assertEquals(List.of(), none.bf16Units());
        assertEquals("unknown", none.model());
    }

    @Test
    void anUnreadableCpuinfoMeansNoBf16Units(@TempDir Path dir) throws Exception {
        assertTrue(CpuFeatures.read(dir.resolve("absent")).bf16Units().isEmpty());
        Path garbage = Files.write(dir.resolve("cpuinfo"), new byte[] {0, 1, 2, (byte) 0xff});
        assertTrue(CpuFeatures.read(garbage).bf16Units().isEmpty());
    }

    @Test
    void autoIsBf16WhereTheHardwareComputesIt() {
        CpuFeatures withBf16 = CpuFeatures.parse(TWO_CPUS);
        CpuFeatures without = new CpuFeatures("old", 2, Set.of("avx2", "fma"));
        assertEquals(Precision.BF16, Precision.AUTO.resolve(false, null, withBf16));
        assertEquals(Precision.FP32, Precision.AUTO.resolve(false, null, without));
        assertEquals(Precision.BF16, Precision.AUTO.resolve(true, "80", without), "Ampere");
        assertEquals(Precision.BF16, Precision.AUTO.resolve(true, "120", without), "Blackwell");
        assertEquals(Precision.FP32, Precision.AUTO.resolve(true, "75", withBf16), "Turing: no bf16 tensor cores");
        assertEquals(Precision.FP32, Precision.AUTO.resolve(true, null, withBf16), "capability unknown");
        for (Precision p : List.of(Precision.FP32, Precision.BF16)) {
            assertEquals(p, p.resolve(true, "80", without), "a chosen precision stays");
            assertEquals(p, p.resolve(Device.cpu()));
        }
        assertEquals(Precision.AUTO, Precision.parse("Auto"));
        assertEquals("auto", Precision.AUTO.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp16"));
        assertTrue(e.getMessage().contains("fp32, bf16 or auto"), e.getMessage());
    }

    @Test
    void autoOnThisCpuFollowsItsFlags() {
        Precision expected = CpuFeatures.host().hasBf16Units() ? Precision.BF16 : Precision.FP32;
        assertEquals(expected, Precision.AUTO.resolve(Device.cpu()));
        try (ForwardPass pass = ForwardPass.of(Precision.AUTO, Device.cpu())) {
            assertEquals(expected, pass.precision(), "a pass never runs unresolved");
        }
    }

    @Test
    void deviceChoicesParseAndResolve() {
        assertEquals(DeviceChoice.AUTO, DeviceChoice.parse("auto"));
        assertEquals(DeviceChoice.CPU, DeviceChoice.parse(" CPU "));
        assertEquals("gpu", DeviceChoice.parse("gpu").label());
        assertEquals(new DeviceChoice(DeviceChoice.Kind.GPU_N, 3), DeviceChoice.parse("gpu:3"));
        for (String bad : List.of("", "tpu", "gpu:", "gpu:-1", "gpu:x", "cuda:0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse(bad), bad);
            assertTrue(e.getMessage().contains("auto, cpu, gpu or gpu:N"), e.getMessage());
        }
        assertArrayEquals(new Device[] {Device.cpu()}, DeviceChoice.AUTO.resolve(0));
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, DeviceChoice.AUTO.resolve(2));
        assertArrayEquals(new Device[] {Device.cpu()}, DeviceChoice.CPU.resolve(2));
        assertArrayEquals(new Device[] {Device.gpu(0), Device.gpu(1)}, DeviceChoice.parse("gpu").resolve(2));
        assertArrayEquals(new Device[] {Device.gpu(1)}, DeviceChoice.parse("gpu:1").resolve(2));
        assertEquals("gpu:0,gpu:1", DeviceChoice.describe(Device.gpu(0), Device.gpu(1)));
        assertEquals("cpu", DeviceChoice.describe(Device.cpu()));
        DeviceUnavailableException beyond = assertThrows(DeviceUnavailableException.class,
                () -> DeviceChoice.parse("gpu:2").resolve(2));
        assertTrue(beyond.getMessage().contains("numbered 0 to 1"), beyond.getMessage());
    }

    @Test
    void aGpuTheEngineCannotSeeIsRefusedWithWhatToDo() {
        for (String asked : List.of("gpu", "gpu:0")) {
            DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class,
                    () -> DeviceChoice.parse(asked).resolve(0));
            assertTrue(e.getMessage().contains("BONEXRAY_LIBTORCH") && e.getMessage().contains("docs/DEVICES.md")
                    && e.getMessage().contains("--device " + asked), e.getMessage());
        }
    }
}
