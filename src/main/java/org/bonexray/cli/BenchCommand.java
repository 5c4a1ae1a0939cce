package org.bonexray.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bonexray.bench.BenchResult;
import org.bonexray.bench.DataBench;
import org.bonexray.bench.EpochBench;
import org.bonexray.bench.InputLayout;
import org.bonexray.bench.ModelBench;
import org.bonexray.bench.Roofline;
import org.bonexray.bench.ScoreBench;
import org.bonexray.bench.ServeBench;
import org.bonexray.data.Split;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.StopSignal;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelSpec;
import org.bonexray.runtime.Precision;
import org.bonexray.train.Recompute;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray bench}: measures one workload and prints it as a readable line and a JSON line. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        header = "Measure inference, training, memory or data-pipeline throughput.",
        description = {
            "Runs one workload on random images (the network) or a folder of PNGs (the data pipeline) and prints "
                    + "a line starting with '# ' for people and one JSON line for scripts. Throughput is the "
                    + "median over the timed iterations after the warm-up; peak RSS is the whole process's, so run "
                    + "one workload per process (tools/bench.sh does, and compares with PyTorch).",
            "Workloads: infer (eval mode, no gradients), train (forward, weighted BCE, backward, Adam step), "
                    + "memory (train for --iterations steps, sampling RSS), data (decode + resize + augment + "
                    + "normalise, needs --data), matmul (an N x N matrix product, N = --size, fp32 or bf16: the "
                    + "engine's compute ceiling), epoch (whole training epochs on a synthetic tree: see --images), serve (the web "
                    + "service on loopback under 8 closed-loop clients and a burst, batching on (--batch) and off "
                    + "(largest batch 1) in alternating rounds; it prints a Markdown table; see --rounds), score "
                    + "(bonexray score on Spark at local[1..cores] against in-process scoring of the train split).",
        })
public final class BenchCommand implements Callable<Integer> {
    /** The workloads this command knows. */
    enum Workload { infer, train, memory, data, matmul, epoch, serve, score }

    @Spec
    private CommandSpec spec;

    @Option(names = "--workload", required = true, paramLabel = "KIND", description = "infer, train, memory, data, matmul, epoch, serve or score.")
    private Workload workload;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "densenet169",
            description = "DenseNet variant: densenet121, densenet169, densenet201 or tiny.")
    private String model;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "224", description = "Input side in pixels.")
    private int size;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Images per iteration (serve: the largest batch with batching on).")
    private int batch;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "Untimed iterations first (serve: rounds of --concurrency studies before each measurement).")
    private int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "5",
            description = "Timed iterations (training steps for memory; passes over the images for data).")
    private int iterations;

    @Option(names = "--layout", paramLabel = "L", defaultValue = "NCHW",
            description = "Input memory layout: NCHW, or CHANNELS_LAST (NHWC memory viewed as NCHW, as the product "
                    + "lays out its batches).")
    private InputLayout layout;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "FP32",
            description = "Number format: FP32, BF16 (bf16 inside the network over fp32 weights, as --precision "
                    + "bf16 trains and evaluates) or AUTO (as the other commands resolve it on the CPU).")
    private Precision precision;

    @Option(names = "--recompute", paramLabel = "WHEN", defaultValue = "AUTO",
            description = "train, memory: recompute activations in the backward pass instead of keeping them: AUTO "
                    + "(when they would take more than two thirds of the available memory, as training does), "
                    + "ALWAYS or NEVER.")
    private Recompute recompute;

    @Option(names = "--sample-every", paramLabel = "N", defaultValue = "10",
            description = "memory: sample the resident set every N steps.")
    private int sampleEvery;

    @Option(names = "--data", paramLabel = "DIR", description = "data: folder of PNGs (e.g. from sample-data); epoch, score: "
            + "a folder holding MURA-v1.1 (the synthetic sample is generated there when it holds none); serve: a "
            + "folder of studies to send (default: the synthetic sample's validation studies, seed 42).")
    private Path data;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "epoch: epochs to time.")
    private int epochs;

    @Option(names = "--split-out", paramLabel = "FILE",
            description = "epoch: write the images of each side of the run's split as JSON (for tools/bench_pytorch.py).")
    private Path splitOut;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1", description = "data: worker threads.")
    private int threads;

    @Option(names = "--max-images", paramLabel = "N", defaultValue = "300", description = "data: images per pass.")
    private int maxImages;

    @Option(names = "--image-cache", paramLabel = "MODE", defaultValue = "NONE",
            description = "data: NONE (decode and resize every pass), MEMORY or DISK (a warm resized-image cache, "
                    + "filled by one untimed pass first, as in training epochs after the first).")
    private DataBench.CacheMode imageCache;

    @Option(names = "--serve-model", paramLabel = "DIR", description = "serve: the model folder to serve (a run's "
            + "model/); without it an untrained --model at --size px (He initialisation, seed 42).")
    private Path serveModel;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "2",
            description = "serve: rounds, each measuring batching on and off (the order alternating); score: "
                    + "alternating rounds of plain, local[1], local[2]...")
    private int rounds;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "64",
            description = "serve: studies of each steady phase (after --warmup x --concurrency warm-up studies).")
    private int requests;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "serve: closed-loop clients of the steady phase.")
    private int concurrency;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "32",
            description = "serve: studies sent at once after the steady phase (0 for none).")
    private int burst;

    @Option(names = "--out", paramLabel = "FILE",
            description = "serve: also write the table's rows and the raw reports as JSON.")
    private Path out;

    @Override
    public Integer call() {
        StopSignal.install(); // SIGINT/SIGTERM stop at the next safe point (exit 130/143), not mid-step
        PrintWriter print = spec.commandLine().getOut();
        if ((workload == Workload.data || workload == Workload.epoch || workload == Workload.score) && data == null) {
            throw new UsageException("--workload " + workload + " needs --data DIR");
        }
        if (workload == Workload.serve) {
            return serve(out);
        }
        BenchResult result = measure();
        print.println("# " + result.readable());
        print.println(result.jsonLine());
        print.flush();
        return ExitCodes.OK;
    }

    private int serve(Path jsonOut) {
        if (rounds < 1 || requests < 1 || concurrency < 1 || burst < 0 || batch < 2 || warmup < 0) {
            throw new UsageException("serve needs --rounds, --requests, --concurrency >= 1, --burst, --warmup >= 0 "
                    + "and --batch >= 2 (the largest batch with batching on)");
        }
        ServeBench.Setup setup = new ServeBench.Setup(serveModel, DenseNetVariant.named(model), size, data, rounds,
                requests, concurrency, burst, warmup * concurrency, batch);
        List<ServeBench.Row> rows = ServeBench.run(setup, System.err);
        PrintWriter print = spec.commandLine().getOut();
        print.print(ServeBench.markdown(rows));
        print.flush();
        if (jsonOut != null) {
            AtomicFiles.writeJson(jsonOut, ServeBench.json(setup, rows));
        }
        return ExitCodes.OK;
    }

    private ModelSpec modelSpec() {
        return new ModelSpec(DenseNetVariant.named(model), HeadSpec.linear(), Initialization.HE, 42, size);
    }

    private BenchResult measure() {
        if (workload == Workload.data) {
            return DataBench.run(data, maxImages, threads, warmup, iterations, imageCache);
        }
        if (workload == Workload.epoch) {
            EpochBench.Setup setup = new EpochBench.Setup(data, modelSpec(), batch, epochs, precision, recompute,
                    Runtime.getRuntime().availableProcessors(), splitOut);
            return EpochBench.run(setup, System.err);
        }
        if (workload == Workload.score) {
            return ScoreBench.run(new ScoreBench.Setup(data, modelSpec(), batch, precision.resolve(Device.cpu()), rounds,
                    Split.TRAIN), System.err);
        }
        if (workload == Workload.matmul) {
            return Roofline.run(size, precision.resolve(Device.cpu()), warmup, iterations);
        }
        ModelBench.Setup setup = new ModelBench.Setup(modelSpec(), batch, warmup, iterations, layout,
                precision.resolve(Device.cpu()), recompute);
        return switch (workload) {
            case infer -> ModelBench.inference(setup);
            case train -> ModelBench.training(setup);
            case memory -> ModelBench.memory(setup, sampleEvery);
            case data, matmul, epoch, serve, score -> throw new AssertionError("handled above");
        };
    }
}
