package org.bonexray.bench;

import ai.djl.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.ProcessMemory;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;
import org.bonexray.predict.ModelScoring;
import org.bonexray.runtime.Precision;
import org.bonexray.score.ScoreInputs;
import org.bonexray.score.ScoreJob;
import org.bonexray.score.ScoreSettings;

/**
 * Scoring throughput of one split on Spark against the plain in-process path ({@code evaluate}'s
 * {@link ModelScoring}), alternating in each round: plain, then {@code score} at {@code local[1]}, {@code local[2]}
 * ... up to the machine's cores, after an untimed warm-up of each on the valid split. Each run is timed whole, as a user waits for it: model load, decoding, the
 * network, and for Spark the session start, the shuffle of the input list and the result tables.
 */
public final class ScoreBench {
    /**
     * @param data folder holding MURA-v1.1 (the synthetic sample is generated there when it holds none)
     * @param model network of a randomly initialised model (the timing does not depend on the weights' values)
     * @param batch images per forward pass
     * @param precision arithmetic inside the network, resolved
     * @param rounds alternating rounds
     * @param split the split scored
     */
    public record Setup(Path data, ModelSpec model, int batch, Precision precision, int rounds, Split split) {
    }

    private ScoreBench() {
    }

    public static BenchResult run(Setup setup, PrintStream log) {
        MuraIndex index = EpochBench.index(setup.data(), log);
        List<Study> studies = index.studies(setup.split());
        long images = studies.stream().mapToLong(s -> s.images().size()).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        Path work = tempDir();
        try {
            Path modelDir = randomModel(work.resolve("model"), setup.model());
            // Untimed, on the smaller split: class loading and JIT of Spark's and the engine's first use.
            plain(modelDir, index, index.studies(Split.VALID), setup, log);
            spark(modelDir, index, "local[1]", work.resolve("warm-up"), setup, Split.VALID);
            Map<String, List<Double>> seconds = new LinkedHashMap<>();
            for (int round = 1; round <= setup.rounds(); round++) {
                seconds.computeIfAbsent("plain", k -> new ArrayList<>()).add(plain(modelDir, index, studies, setup, log));
                for (int slots = 1; slots <= cores; slots++) {
                    String master = "local[" + slots + "]";
                    Path out = work.resolve("out-" + round + "-" + slots);
                    seconds.computeIfAbsent(master, k -> new ArrayList<>()).add(spark(modelDir, index, master, out, setup, setup.split()));
                }
            }
            return result(setup, images, seconds, cores);
        } finally {
            try {
                AtomicFiles.deleteRecursively(work);
            } catch (IOException e) {
                log.println("bench: could not remove " + work + ": " + e.getMessage());
            }
        }
    }

    private static double plain(Path modelDir, MuraIndex index, List<Study> studies, Setup setup, PrintStream log) {
        long start = System.nanoTime();
        try (LoadedModel model = ModelArtifact.load(modelDir)) {
            ModelScoring.score(model, index, studies, setup.batch(), Runtime.getRuntime().availableProcessors(),
                    BadImagePolicy.SKIP, setup.precision(), log, "plain");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double spark(Path modelDir, MuraIndex index, String master, Path out, Setup setup, Split split) {
        ScoreSettings settings = new ScoreSettings(modelDir.toString(), false, "cpu", -1, setup.precision(),
                StudyAggregation.MEAN, null, setup.batch(), 0, out.toString(), false, false, master, null);
        long start = System.nanoTime();
        new ScoreJob(settings, System.err).run(spark -> ScoreInputs.fromIndex(spark, index, split));
        return (System.nanoTime() - start) / 1e9;
    }

    private static BenchResult result(Setup setup, long images, Map<String, List<Double>> seconds, int cores) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("images", images);
        details.put("split", setup.split().folderName());
        for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
            details.put(e.getKey() + "_seconds", e.getValue());
            details.put(e.getKey() + "_images_per_s", new Timings(e.getValue()).median() > 0
                    ? images / new Timings(e.getValue()).median() : 0.0);
            if (!e.getKey().equals("plain")) {
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < e.getValue().size(); i++) {
                    ratios.add(seconds.get("plain").get(i) / e.getValue().get(i)); // speed relative to plain, per round
                }
                details.put(e.getKey() + "_speed_vs_plain", ratios);
            }
        }
        Timings best = new Timings(seconds.get("local[" + cores + "]"));
        return new BenchResult("score", setup.model().variant().name().toLowerCase(java.util.Locale.ROOT),
                setup.model().inputSize(), setup.batch(), "local[" + cores + "]", setup.precision().label(), cores, 0,
                best, images / best.median(), ProcessMemory.now(), details);
    }

    private static Path randomModel(Path dir, ModelSpec spec) {
        try (Model model = Model.newInstance("bench")) {
            AbnormalityNet net = AbnormalityNet.initialize(model.getNDManager(), spec);
            model.setBlock(net);
            Preprocessing pre = new Preprocessing(spec.inputSize(), Preprocessing.DEFAULT.resize(),
                    Preprocessing.DEFAULT.normalization());
            ModelArtifact.save(dir, net, new ModelArtifact.Description(ModelArtifact.FORMAT, spec, pre, 0.5),
                    Map.of("bonexray", "bench"));
        }
        return dir;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("bonexray-score-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
