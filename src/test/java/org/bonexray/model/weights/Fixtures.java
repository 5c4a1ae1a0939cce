package org.bonexray.model.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The committed fixtures of tools/make_densenet_fixtures.py. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalStateException("fixture missing: " + name + " (run tools/make_densenet_fixtures.py)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes a fixture into {@code manager}, arrays by name. */
    static Map<String, NDArray> arrays(NDManager manager, String name) {
        return arrays(manager, path(name));
    }

    /** Decodes a safetensors or npz file into {@code manager}, arrays by name. */
    static Map<String, NDArray> arrays(NDManager manager, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray array : NDList.decode(manager, in)) {
                byName.put(array.getName(), array);
            }
            return byName;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a JSON fixture. */
    static com.fasterxml.jackson.databind.JsonNode json(String name) {
        try {
            return org.bonexray.io.Json.MAPPER.readTree(path(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Copies every parameter's values, by torchvision key. */
    static Map<String, float[]> snapshot(Block block) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : TorchvisionNames.parametersByKey(block).entrySet()) {
            values.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
