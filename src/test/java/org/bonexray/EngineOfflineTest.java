package org.bonexray;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The bundled PyTorch engine loads offline and computes. */
class EngineOfflineTest {
    @Test
    void pytorchEngineLoadsFromTheBundledNativeJar() {
        assertEquals("true", System.getenv("DJL_OFFLINE"), "tests must run with DJL_OFFLINE=true");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals(Versions.PYTORCH, engine.getVersion());
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(6f, manager.create(new float[] {1, 2, 3}).sum().getFloat(), 1e-6);
        }
    }
}
