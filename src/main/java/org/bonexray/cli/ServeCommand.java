package org.bonexray.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.runtime.EngineFacts;
import org.bonexray.runtime.Precision;
import org.bonexray.serve.BonexrayServer;
import org.bonexray.serve.HeatmapChoiceException;
import org.bonexray.serve.ServeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray serve}: the web service and browser page for a saved model. */
@Command(name = "serve", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Serve a model over HTTP: a JSON API and a browser page.",
        description = {"Listens on 127.0.0.1 unless --host says otherwise. POST a study's views to /api/v1/studies; "
                + "open / in a browser; /openapi.json describes the API, /metrics is Prometheus text, /health/ready "
                + "and /health/live are the probes. Studies wait in a bounded queue and their views go through the "
                + "network in shared batches. One JSON access-log line per request goes to standard output. "
                + "Ctrl-C or SIGTERM stops it gracefully: queued studies are answered, new ones refused."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (a run's model/).")
    Path modelDir;

    @Option(names = "--host", defaultValue = ServeConfig.LOOPBACK, description = "Address to bind; anything but loopback exposes the service.")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one.")
    int port;

    @Option(names = "--queue", defaultValue = "32", paramLabel = "N",
            description = "Most studies admitted at once (being received, waiting or predicted); more are answered 503 with Retry-After.")
    int queue;

    @Option(names = "--queue-mb", defaultValue = "1024", paramLabel = "MB",
            description = "Memory budget of the admitted studies (their request bodies and decoded views), in MB.")
    long queueMb;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Deadline of a study from arrival to answer: refused at once (503) when the queue ahead cannot meet it, 504 when it was missed.")
    long timeoutSeconds;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "VIEWS",
            description = "Most views in one forward pass, gathered from the queued studies (1 turns batching off).")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "10", paramLabel = "MS",
            description = "How long the batcher waits for more studies once it holds one.")
    long maxDelayMs;

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "Batcher threads, each with its own predictor (the network's own threads: BONEXRAY_THREADS).")
    int workers;

    @Option(names = "--max-file-mb", defaultValue = "20", description = "Largest image upload, in MB.")
    long maxFileMb;

    @Option(names = "--max-total-mb", defaultValue = "100", description = "Largest request, in MB.")
    long maxTotalMb;

    @Option(names = "--max-images", defaultValue = "16", description = "Most views in one study.")
    int maxImages;

    @Option(names = "--max-pixels", defaultValue = "16777216", description = "Largest decoded image (width * height).")
    long maxPixels;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "A connection that sends nothing this long is closed (an upload that stops half-way too).")
    long idleSeconds;

    @Option(names = "--header-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "A connection must send a whole request head within this of opening or of its previous answer.")
    long headerSeconds;

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

    @Mixin
    TtaOption tta;

    @Option(names = "--token", description = "Bearer token required on /api (default: env BONEXRAY_TOKEN; none when unset).")
    String token;

    @Option(names = "--admin-token",
            description = "Bearer token of POST /admin/reload (default: env BONEXRAY_ADMIN_TOKEN; the endpoint is off when unset).")
    String adminToken;

    @Option(names = "--watch", defaultValue = "0", paramLabel = "SECONDS",
            description = "Check the model folder every N seconds and reload a changed model once it passes its self-check (0: off).")
    long watchSeconds;

    @Override
    public Integer call() throws Exception {
        Device[] devices = device.resolve();
        ServeConfig config = UsageException.of(() -> config(devices[0]));
        PrintWriter err = spec.commandLine().getErr();
        if (!config.loopbackOnly()) {
            err.println("bonexray: warning: listening on " + host + " exposes the service beyond this machine"
                    + (config.token() == null ? " without a token (use --token)" : ""));
        }
        err.println(EngineFacts.startLine(devices, config.precision()));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        BonexrayServer server = BonexrayServer.start(modelDir, config, line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        });
        try {
            server.awaitModel(Duration.ofMinutes(30));
        } catch (HeatmapChoiceException e) {
            server.close();
            throw new UsageException(e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "bonexray-shutdown"));
        synchronized (out) {
            out.println("bonexray serving " + modelDir + " (model " + server.modelId().orElse("?") + ") at " + server.url()
                    + " in " + config.precision().resolve(devices[0]).label() + " (Ctrl-C to stop)");
            out.flush();
        }
        stopped.await();
        return ExitCodes.OK;
    }

    private ServeConfig config(Device on) {
        return ServeConfig.builder().host(host).port(port)
                .queue(new ServeConfig.Queue(queue, queueMb * ServeConfig.MB, Duration.ofSeconds(timeoutSeconds),
                        maxBatch, Duration.ofMillis(maxDelayMs), workers))
                .limits(new ServeConfig.Limits(maxFileMb * ServeConfig.MB, maxTotalMb * ServeConfig.MB, maxImages, maxPixels))
                .timeouts(new ServeConfig.Timeouts(Duration.ofSeconds(idleSeconds), Duration.ofSeconds(headerSeconds)))
                .token(fromEnv(token, "BONEXRAY_TOKEN")).adminToken(fromEnv(adminToken, "BONEXRAY_ADMIN_TOKEN"))
                .heatmaps(heatmaps, heatmapLayer).precision(Precision.parse(precision))
                .aggregation(StudyAggregation.parse(aggregation)).tta(tta.resolve()).watchInterval(Duration.ofSeconds(watchSeconds))
                .device(on).build();
    }

    private static String fromEnv(String given, String variable) {
        String value = given != null ? given : System.getenv(variable);
        return value == null || value.isEmpty() ? null : value;
    }
}
