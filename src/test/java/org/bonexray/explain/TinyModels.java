package org.bonexray.explain;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;

/** Small untrained networks and images for the explain tests. */
final class TinyModels {
    private TinyModels() {
    }

    static ModelSpec spec(HeadSpec head, int size) {
        return new ModelSpec(DenseNetVariant.TINY, head, Initialization.HE, 7, size);
    }

    static Preprocessing preprocessing(int size, ResizeMode mode) {
        return new Preprocessing(size, mode, Normalization.MINUS_ONE_TO_ONE);
    }

    static AbnormalityNet net(NDManager manager, HeadSpec head, int size) {
        return AbnormalityNet.initialize(manager, spec(head, size));
    }

    /** Saves an initialised tiny linear-head model as an artifact. */
    static void save(Path dir, int size, ResizeMode mode) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelSpec spec = spec(HeadSpec.linear(), size);
            AbnormalityNet net = AbnormalityNet.initialize(manager, spec);
            ModelArtifact.save(dir, net, new ModelArtifact.Description(ModelArtifact.FORMAT, spec,
                    preprocessing(size, mode), 0.5), Map.of("purpose", "test"));
        }
    }

    /** A deterministic textured image: a bright blob on a gradient, so maps are not trivially flat. */
    static GrayImage textured(int width, int height) {
        float[] px = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = (x - width * 0.3) / (width * 0.1);
                double dy = (y - height * 0.6) / (height * 0.1);
                double v = 0.2 + 0.3 * x / width + 0.5 * Math.exp(-(dx * dx + dy * dy)) + 0.05 * Math.sin(x * 0.7 + y * 0.3);
                px[y * width + x] = (float) Math.max(0, Math.min(1, v));
            }
        }
        return new GrayImage(width, height, px);
    }

    static List<Integer> none() {
        return List.of();
    }
}
