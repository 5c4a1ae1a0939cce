package org.bonexray.serve;

import ai.djl.Model;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bonexray.bench.ServeLoad;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;

/** Shared test pieces: a TINY untrained model on disk, synthetic images, multipart bodies, an HTTP client. */
public final class ServeFixtures {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One uploaded part: file name (may be hostile) and bytes. */
    record Part(String filename, byte[] bytes) {
    }

    private ServeFixtures() {
    }

    /** Saves an initialised TINY network (64 px input) with a small manifest; no training. */
    public static Path tinyModel(Path dir) {
        return tinyModel(dir, 7);
    }

    /** As {@link #tinyModel(Path)}, its weights initialised from {@code seed}. */
    public static Path tinyModel(Path dir, long seed) {
        ModelSpec spec = new ModelSpec(DenseNetVariant.TINY, HeadSpec.linear(), Initialization.HE, seed, 64);
        Preprocessing pre = new Preprocessing(64, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);
        try (Model model = Model.newInstance("tiny")) {
            AbnormalityNet net = AbnormalityNet.initialize(model.getNDManager(), spec);
            model.setBlock(net);
            ModelArtifact.save(dir, net, new ModelArtifact.Description(ModelArtifact.FORMAT, spec, pre, 0.5),
                    Map.of("bonexray", "test", "counts", Map.of("train_studies", 3), "dataRoot", "/secret/path/MURA-v1.1"));
        }
        return dir;
    }

    /** Starts a server on the model folder and waits for the model to load; access-log lines are dropped. */
    static BonexrayServer serve(Path modelDir, ServeConfig config) throws InterruptedException {
        return serve(modelDir, config, line -> { });
    }

    /** Starts a server on the model folder, waits for the model, and hands each access-log line to {@code log}. */
    static BonexrayServer serve(Path modelDir, ServeConfig config, java.util.function.Consumer<String> log)
            throws InterruptedException {
        BonexrayServer server = BonexrayServer.start(modelDir, config, log);
        try {
            return server.awaitModel(java.time.Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A random grayscale PNG. */
    public static byte[] png(int width, int height, long seed) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = r.nextInt(256);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A multipart/form-data request with image parts and optional form fields. */
    static HttpRequest.Builder multipart(URI uri, List<Part> parts, Map<String, String> fields) {
        return ServeLoad.multipart(uri, parts.stream().map(p -> new ServeLoad.Part(p.filename(), p.bytes())).toList(),
                fields);
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
