package org.bonexray.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.runtime.Precision;
import org.bonexray.serve.BonexrayServer;
import org.bonexray.serve.ExplainHeatmaps;
import org.bonexray.serve.HeatmapRenderer;
import org.bonexray.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import ai.djl.Device;
import org.bonexray.runtime.EngineFacts;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray serve}: the web service and browser page for a saved model. */
@Command(name = "serve", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Serve a model over HTTP: a JSON API and a browser page.",
        description = {"Listens on 127.0.0.1 unless --host says otherwise. POST a study's views to /api/v1/studies; "
                + "open / in a browser; /openapi.json describes the API. Ctrl-C or SIGTERM stops it gracefully."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--host", defaultValue = ServeConfig.LOOPBACK, description = "Address to bind; anything but loopback exposes the service.")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one.")
    int port;

    @Option(names = "--workers", defaultValue = "2", description = "Predictors, so studies predicted at once.")
    int workers;

    @Option(names = "--busy-wait-ms", defaultValue = "200", description = "How long a request waits for a worker before a 503.")
    long busyWaitMs;

    @Option(names = "--max-file-mb", defaultValue = "20", description = "Largest image upload, in MB.")
    long maxFileMb;

    @Option(names = "--max-total-mb", defaultValue = "100", description = "Largest request, in MB.")
    long maxTotalMb;

    @Option(names = "--max-images", defaultValue = "16", description = "Most views in one study.")
    int maxImages;

    @Option(names = "--max-pixels", defaultValue = "16777216", description = "Largest decoded image (width * height).")
    long maxPixels;

    @Option(names = "--heatmaps", defaultValue = "auto",
            description = "Heatmap overlays per view: auto (CAM when the head allows it, else Grad-CAM), cam, gradcam, layercam or none.")
    String heatmaps;

    @Option(names = "--heatmap-layer", defaultValue = "norm5", paramLabel = "LAYER",
            description = "Layer of the heatmaps: norm5 (pooled maps) or an inner block such as denseblock1 (with "
                    + "--heatmaps gradcam or layercam; LayerCAM on denseblock1 pointed at the sample's findings best).")
    String heatmapLayer;

    @Option(names = "--precision", defaultValue = "auto", paramLabel = "auto|fp32|bf16",
            description = "Arithmetic inside the network: auto (bf16 where the device has bf16 units, else fp32), "
                    + "fp32 or bf16.")
    String precision;

    @Mixin
    DeviceOption device;

    @Option(names = "--aggregation", defaultValue = "mean", paramLabel = "mean|max",
            description = "A study's probability from its views': mean (MURA's rule) or max.")
    String aggregation;

    @Option(names = "--token", description = "Bearer token required on /api (default: env BONEXRAY_TOKEN; none when unset).")
    String token;

    @Override
    public Integer call() throws Exception {
        String bearer = token != null ? token : System.getenv("BONEXRAY_TOKEN");
        ServeConfig d = ServeConfig.defaults();
        ServeConfig config = UsageException.of(() -> new ServeConfig(host, port, workers, Duration.ofMillis(busyWaitMs), maxFileMb * ServeConfig.MB,
                maxTotalMb * ServeConfig.MB, maxImages, maxPixels, bearer == null || bearer.isEmpty() ? null : bearer,
                d.heatmapCapacity(), d.heatmapTtl(), Precision.parse(precision),
                StudyAggregation.parse(aggregation)));
        PrintWriter err = spec.commandLine().getErr();
        if (!config.loopbackOnly()) {
            err.println("bonexray: warning: listening on " + host + " exposes the service beyond this machine"
                    + (config.token() == null ? " without a token (use --token)" : ""));
        }
        Device[] devices = device.resolve();
        err.println(EngineFacts.startLine(devices, config.precision()));
        err.flush();
        LoadedModel model = ModelArtifact.load(modelDir, devices[0]);
        BonexrayServer server;
        try {
            HeatmapRenderer renderer = UsageException.of(() -> ExplainHeatmaps.forChoice(heatmaps, heatmapLayer, model));
            server = BonexrayServer.start(model, config, renderer);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            model.close();
            stopped.countDown();
        }, "bonexray-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("bonexray serving " + modelDir + " at " + server.url() + " in " + config.precision().resolve(devices[0]).label()
                + " (Ctrl-C to stop)");
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
