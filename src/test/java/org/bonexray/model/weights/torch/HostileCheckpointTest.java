package org.bonexray.model.weights.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bonexray.data.DataException;
import org.bonexray.model.weights.format.StateDict;
import org.bonexray.model.weights.WeightsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Poisoned and lying checkpoints: every one is refused with what was refused, nothing it names runs (the
 * committed malicious fixtures would create a marker file under torch.load), and nothing a header claims is
 * allocated before it is checked.
 */
@Timeout(120)
class HostileCheckpointTest {
    private static final Path MARKER = Path.of("/tmp/bonexray-malicious-marker");

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(HostileCheckpointTest.class.getResource("/fixtures/weights/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"malicious.pth, posix.system", "malicious-legacy.pth, posix.system",
            "malicious-stack-global.pth, posix.system", "malicious-inst.pth, os.system",
            "malicious-module.pt, posix.system"})
    void poisonedPicklesAreRefusedByNameAndRunNothing(String name, String global) throws IOException {
        Files.deleteIfExists(MARKER);
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(fixture(name)));
        assertTrue(e.getMessage().contains("'" + global + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(name), "names the file: " + e.getMessage());
        assertFalse(Files.exists(MARKER), "the pickle's command must not have run");
    }

    @Test
    void aGoodTensorBesideThePoisonDoesNotMakeItThrough() throws IOException {
        byte[] pkl = new PickleBytes().op('}').string("w").tensor("0", 2, 2).op('s')
                .string("x").global("builtins", "eval").string("1").op(0x85).op('R').op('s').stop();
        Path file = PickleBytes.zip(dir.resolve("mixed.pth"), pkl, Map.of("0", new byte[8]));
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("'builtins.eval'"), e.getMessage());
    }

    @Test
    void aPlainStateDictReadsFromHandMadeBytes() throws IOException {
        byte[] pkl = new PickleBytes().op('}').string("w").tensor("0", 3, 3).op('s').stop();
        Path file = PickleBytes.zip(dir.resolve("ok.pth"), pkl, Map.of("0", new byte[12]));
        StateDict read = WeightsFiles.read(file);
        assertEquals(3, read.tensors().get("w").numel());
    }

    @Test
    void aTensorLargerThanItsStorageIsRefusedBeforeAllocation() throws IOException {
        byte[] pkl = new PickleBytes().op('}').string("w").tensor("0", 4, 1_000_000_000).op('s').stop();
        Path file = PickleBytes.zip(dir.resolve("big.pth"), pkl, Map.of("0", new byte[16]));
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("beyond its storage"), e.getMessage());
    }

    @Test
    void aStorageClaimingMoreThanTheArchiveHoldsIsRefused() throws IOException {
        byte[] pkl = new PickleBytes().op('}').string("w").tensor("0", 500_000_000, 4).op('s').stop();
        Path file = PickleBytes.zip(dir.resolve("claims.pth"), pkl, Map.of("0", new byte[16]));
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("the pickle claims 2000000000"), e.getMessage());
    }

    @Test
    void lengthsInThePickleAreCheckedAgainstTheBytesLeft() throws IOException {
        byte[] pkl = new PickleBytes().op('B').int4(Integer.MAX_VALUE).raw(new byte[10]).stop();
        Path file = PickleBytes.zip(dir.resolve("bytes.pth"), pkl, Map.of());
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("claims 2147483647 bytes"), e.getMessage());
    }

    @Test
    void buildOnAnythingButARecordIsRefused() throws IOException {
        byte[] pkl = new PickleBytes().op(']').op('}').op('b').stop();
        Path file = PickleBytes.zip(dir.resolve("build.pth"), pkl, Map.of());
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("BUILD"), e.getMessage());
    }

    @Test
    void onlyStoragePersistentIdsAreLoaded() throws IOException {
        byte[] pkl = new PickleBytes().string("cmd").op(0x85).op('Q').stop();
        Path file = PickleBytes.zip(dir.resolve("pid.pth"), pkl, Map.of());
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(file));
        assertTrue(e.getMessage().contains("persistent id of kind 'cmd'"), e.getMessage());
    }

    @Test
    void functionsOfAllowedModulePackagesAreNotClasses() {
        UnsafePickleException e = assertThrows(UnsafePickleException.class,
                () -> TorchGlobal.resolve("torch.nn.modules.module", "register_module_forward_hook"));
        assertEquals("torch.nn.modules.module.register_module_forward_hook", e.refused());
        assertEquals(TorchGlobal.Kind.MODULE_CLASS, TorchGlobal.resolve("torch.nn.modules.conv", "Conv2d").kind());
        assertEquals(TorchGlobal.Kind.MODULE_CLASS, TorchGlobal.resolve("torchxrayvision.models", "_DenseLayer").kind());
        assertThrows(UnsafePickleException.class, () -> TorchGlobal.resolve("torchxrayvisionx.models", "DenseNet"));
        assertThrows(UnsafePickleException.class, () -> TorchGlobal.resolve("torch", "load"));
    }

    @Test
    void aTruncatedLegacyFileSaysWhereItEnds() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("checkpoint-dataparallel.pth"));
        Path cut = Files.write(dir.resolve("cut.pth"), java.util.Arrays.copyOf(whole, whole.length - 1000));
        DataException e = assertThrows(DataException.class, () -> WeightsFiles.read(cut));
        assertTrue(e.getMessage().contains("remain") || e.getMessage().contains("ends after"), e.getMessage());
    }
}
