package org.bonexray.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bonexray.Versions;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.PatientSplit;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.io.ProcessMemory;
import org.bonexray.model.ModelSpec;
import org.bonexray.runtime.DeviceChoice;
import org.bonexray.runtime.Precision;
import org.bonexray.train.EpochRecord;
import org.bonexray.train.Recompute;
import org.bonexray.train.TrainConfig;
import org.bonexray.train.TrainDefaults;
import org.bonexray.train.TrainingResult;
import org.bonexray.train.TrainingRun;

/**
 * Whole training epochs as a user runs them: {@code train}'s defaults (the paper's recipe: DenseNet-169, class
 * weights, MURA's augmentation, Adam, a patient-level validation split scored after each epoch) on a MURA-format
 * tree, with the data pipeline, the image cache's first fill, validation and checkpoints all inside the clock.
 * Each epoch's wall time is one timing, so the first epoch's extra cost shows beside the later ones; the whole
 * run's wall time is recorded too, since the image cache is filled before the first epoch.
 *
 * <p>The tree is the synthetic sample ({@link SampleSpec#DEFAULT}: about 1,000 training images of 200-512 px)
 * generated into the folder given, unless it holds a MURA-v1.1 tree already (real radiographs then). The run and
 * its image cache go to a fresh temporary folder, deleted afterwards, so every measurement starts cold as a first
 * run does.
 */
public final class EpochBench {
    /**
     * What to run.
     *
     * @param data a folder holding, or to receive, MURA-v1.1
     * @param model the network and input size (the head and initialisation are {@code train}'s defaults)
     * @param batch images per training step
     * @param epochs epochs to time
     * @param precision as {@code train --precision} (auto resolves for the CPU)
     * @param recompute as {@code train --recompute}
     * @param threads image decoding threads
     * @param splitOut where to write the images of each side of the split (for the PyTorch peer), or null
     */
    public record Setup(Path data, ModelSpec model, int batch, int epochs, Precision precision, Recompute recompute,
                        int threads, Path splitOut) {
    }

    private EpochBench() {
    }

    /** Runs the epochs; progress goes to {@code log}. */
    public static BenchResult run(Setup setup, PrintStream log) {
        MuraIndex index = index(setup.data(), log);
        TrainConfig config = config(setup);
        if (setup.splitOut() != null) {
            writeSplit(index, config, setup.splitOut());
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("bonexray-epoch-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder: " + e.getMessage(), e);
        }
        try {
            long start = System.nanoTime();
            TrainingResult result = new TrainingRun(config, index, scratch.resolve("run"), setup.threads(), log)
                    .withRecompute(setup.recompute()).withDevice(DeviceChoice.CPU).run(false);
            double jobSeconds = (System.nanoTime() - start) / 1e9;
            return result(setup, config, result, scratch.resolve("run/manifest.json"), jobSeconds);
        } finally {
            try {
                AtomicFiles.deleteRecursively(scratch);
            } catch (IOException e) {
                log.println("bench: could not delete " + scratch + ": " + e.getMessage());
            }
        }
    }

    /** The MURA-v1.1 tree in {@code data}, the synthetic sample generated there first when it holds none. */
    static MuraIndex index(Path data, PrintStream log) {
        Path root = SyntheticMuraGenerator.datasetDir(data);
        if (!Files.isDirectory(root)) {
            log.println("bench: generating the synthetic sample in " + root);
            SyntheticMuraGenerator.generate(data, SampleSpec.DEFAULT, null);
        }
        return MuraIndexLoader.load(root, LoadOptions.STRICT);
    }

    /** {@code train}'s standard configuration with the bench's network, batch, epochs and precision. */
    static TrainConfig config(Setup s) {
        TrainConfig d = TrainDefaults.standard();
        Preprocessing p = d.preprocessing();
        ModelSpec model = new ModelSpec(s.model().variant(), d.model().head(), d.model().init(), d.model().seed(),
                s.model().inputSize());
        return new TrainConfig(model, "none", d.freeze(), d.optimizer(), d.schedule(), d.classWeighted(),
                s.epochs(), s.batch(), d.validationFraction(), d.seed(), d.selection(), 0,
                new Preprocessing(s.model().inputSize(), p.resize(), p.normalization()), d.augmentation(),
                d.badImages(), s.precision());
    }

    /** The images on each side of the run's patient split, with body part and label, for the PyTorch peer. */
    private static void writeSplit(MuraIndex index, TrainConfig config, Path file) {
        PatientSplit split = PatientSplit.of(index.studies(Split.TRAIN), config.validationFraction(), config.seed());
        Map<String, Object> sides = new LinkedHashMap<>();
        sides.put("train", images(split.train()));
        sides.put("validation", images(split.validation()));
        sides.put("batch", config.batchSize());
        sides.put("size", config.model().inputSize());
        AtomicFiles.writeJson(file, sides);
    }

    private static List<Map<String, Object>> images(List<Study> studies) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Study study : studies) {
            for (Path image : study.images()) {
                rows.add(Map.of("path", image.toAbsolutePath().toString(), "body_part", study.bodyPart().name(),
                        "label", study.label().value()));
            }
        }
        return rows;
    }

    private static BenchResult result(Setup setup, TrainConfig config, TrainingResult run, Path manifestFile,
                                      double jobSeconds) {
        List<Double> seconds = new ArrayList<>();
        List<Double> trainRates = new ArrayList<>();
        for (EpochRecord r : run.history()) {
            seconds.add(r.seconds());
            trainRates.add(r.imagesPerSecond());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        var manifest = readJson(manifestFile);
        int trainImages = manifest.path("counts").path("trainImages").asInt();
        details.put("epoch_seconds", seconds);
        details.put("train_images_per_s", trainRates);
        details.put("train_images", trainImages);
        details.put("validation_images", manifest.path("counts").path("validationImages").asInt());
        details.put("recompute", manifest.path("recomputesActivations").asBoolean());
        details.put("first_over_second", seconds.size() > 1 ? seconds.get(0) / seconds.get(1) : Double.NaN);
        // The whole run, and its part outside the epochs (the image cache's fill before epoch 1, building the
        // network, the final save), so that work moved out of the first epoch stays inside the measurement.
        details.put("job_seconds", jobSeconds);
        details.put("outside_epochs_seconds", jobSeconds - seconds.stream().mapToDouble(Double::doubleValue).sum());
        details.put("data", setup.data().toAbsolutePath().toString());
        Timings timings = new Timings(seconds);
        String precision = manifest.path("config").path("precision").asText(); // resolved, as the run recorded it
        return new BenchResult("epoch", config.model().variant().name(), config.model().inputSize(), config.batchSize(),
                "channels_last", precision, Versions.engineThreads(), 0, timings, trainImages / timings.median(),
                ProcessMemory.now(), details);
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(Path file) {
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
