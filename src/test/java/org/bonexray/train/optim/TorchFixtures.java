package org.bonexray.train.optim;

import com.fasterxml.jackson.databind.JsonNode;
import org.bonexray.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads {@code fixtures/optim_torch.json}, written by {@code tools/make_optimizer_fixtures.py}. */
public final class TorchFixtures {
    private static JsonNode root;

    private TorchFixtures() {
    }

    /** The fixture's root node. */
    public static synchronized JsonNode root() {
        if (root == null) {
            try (InputStream in = TorchFixtures.class.getResourceAsStream("/fixtures/optim_torch.json")) {
                if (in == null) {
                    throw new IllegalStateException("fixtures/optim_torch.json missing from the test classpath");
                }
                root = Json.MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    /** A JSON array of numbers as floats. */
    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    /** A JSON array of numbers as doubles. */
    public static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
