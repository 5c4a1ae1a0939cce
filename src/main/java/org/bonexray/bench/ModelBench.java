package org.bonexray.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bonexray.Versions;
import org.bonexray.io.ProcessMemory;
import org.bonexray.io.StopSignal;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.ModelSpec;
import org.bonexray.predict.DatasetInference;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.runtime.Precision;
import org.bonexray.train.Recompute;
import org.bonexray.train.TrainingStep;
import org.bonexray.train.WeightedBinaryCrossEntropy;
import org.bonexray.train.optim.OptimizerSpec;
import org.bonexray.train.optim.ScheduleSpec;
import org.bonexray.train.optim.StatefulOptimizer;

/**
 * Times an {@link AbnormalityNet} on random images: inference (eval mode, no gradients) and training steps
 * (forward, class-weighted BCE, backward, Adam update through a DJL Trainer, as TrainingRun does).
 *
 * <p>Every iteration runs in its own sub-manager, so that the arrays of one step are freed before the next,
 * as the product's loops free each batch.
 */
public final class ModelBench {
    private static final long DATA_SEED = 20_260_101L;

    private ModelBench() {
    }

    /**
     * What to run.
     *
     * @param spec the network (its seed fixes the weights)
     * @param batch images per iteration
     * @param warmup untimed iterations first
     * @param iterations timed iterations
     * @param layout input memory layout
     * @param precision number format inside the network
     * @param recompute whether training steps recompute activations ({@link Recompute#AUTO}: as training decides)
     */
    public record Setup(ModelSpec spec, int batch, int warmup, int iterations, InputLayout layout, Precision precision,
                        Recompute recompute) {
        /** Validates the counts. */
        public Setup {
            if (batch < 1 || warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("need batch >= 1, warmup >= 0, iterations >= 1");
            }
        }
    }

    /** Times inference and compares the probabilities with fp32 NCHW ones when layout or precision differ. */
    public static BenchResult inference(Setup setup) {
        int side = setup.spec().inputSize();
        float[] images = randomImages(setup.batch(), side);
        Map<String, Object> details = new LinkedHashMap<>();
        try (Model model = Model.newInstance("bench")) {
            AbnormalityNet net = AbnormalityNet.build(setup.spec());
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            float[] reference = null;
            if (setup.layout() != InputLayout.NCHW || setup.precision() != Precision.FP32) {
                Setup plain = new Setup(setup.spec(), setup.batch(), 0, 1, InputLayout.NCHW, Precision.FP32, setup.recompute());
                try (ForwardPass fp32 = ForwardPass.of(Precision.FP32)) {
                    reference = logits(fp32, net, model.getNDManager(), images, plain);
                }
            }
            List<Double> seconds = new ArrayList<>();
            float[] last = null;
            try (ForwardPass pass = ForwardPass.of(setup.precision())) {
                for (int i = 0; i < setup.warmup() + setup.iterations(); i++) {
                    StopSignal.checkpoint();
                    long start = System.nanoTime();
                    last = logits(pass, net, model.getNDManager(), images, setup);
                    if (i >= setup.warmup()) {
                        seconds.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            if (reference != null) {
                details.put("max_probability_diff_vs_fp32_nchw", maxProbabilityDiff(reference, last));
            }
            details.put("mean_logit", mean(last));
            Timings timings = new Timings(seconds);
            return new BenchResult("infer", setup.spec().variant().name(), side, setup.batch(), name(setup.layout()),
                    setup.precision().label(), Versions.engineThreads(), setup.warmup(), timings,
                    timings.imagesPerSecond(setup.batch()), ProcessMemory.now(), details);
        }
    }

    /** Times whole training steps; the last loss goes into the details so a broken step shows. */
    public static BenchResult training(Setup setup) {
        return train(setup, 0, "train");
    }

    /**
     * Trains {@code steps} timed steps after the warm-up and samples the resident set every
     * {@code sampleEvery} steps, to show whether memory stays flat over a long run.
     */
    public static BenchResult memory(Setup setup, int sampleEvery) {
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be >= 1: " + sampleEvery);
        }
        return train(setup, sampleEvery, "memory");
    }

    private static BenchResult train(Setup setup, int sampleEvery, String workload) {
        Precision precision = setup.precision();
        int side = setup.spec().inputSize();
        float[] images = randomImages(setup.batch(), side);
        Map<String, Object> details = new LinkedHashMap<>();
        try (Model model = Model.newInstance("bench")) {
            AbnormalityNet net = AbnormalityNet.build(setup.spec());
            model.setBlock(net);
            net.initializeWeights(model.getNDManager());
            OptimizerSpec optimizer = OptimizerSpec.mura();
            try (StatefulOptimizer adam = optimizer.build(ScheduleSpec.constant().build(optimizer.learningRate()));
                 Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new WeightedBinaryCrossEntropy())
                         .optOptimizer(adam).optDevices(new Device[] {Device.cpu()}));
                 ForwardPass pass = ForwardPass.of(precision)) {
                trainer.initialize(new Shape(1, 3, side, side));
                TrainingStep step = new TrainingStep(trainer, adam, pass, net, setup.recompute().appliesTo(net, setup.batch(), precision));
                details.put("recompute", step.recomputes());
                StepLoop loop = new StepLoop(trainer, step, images, setup, sampleEvery);
                Timings timings = loop.run(details);
                return new BenchResult(workload, setup.spec().variant().name(), side, setup.batch(),
                        name(setup.layout()), precision.label(), Versions.engineThreads(), setup.warmup(), timings,
                        timings.imagesPerSecond(setup.batch()), ProcessMemory.now(), details);
            }
        }
    }

    /** Runs warm-up and timed training steps, sampling memory when asked. */
    private record StepLoop(Trainer trainer, TrainingStep trainingStep, float[] images, Setup setup,
                            int sampleEvery) {
        Timings run(Map<String, Object> details) {
            List<Double> seconds = new ArrayList<>();
            List<Double> rssSamples = new ArrayList<>();
            double loss = Double.NaN;
            ProcessMemory afterWarmup = ProcessMemory.now();
            for (int i = 0; i < setup.warmup() + setup.iterations(); i++) {
                StopSignal.checkpoint();
                if (i == setup.warmup()) {
                    afterWarmup = ProcessMemory.now();
                }
                long start = System.nanoTime();
                loss = step();
                if (i >= setup.warmup()) {
                    seconds.add((System.nanoTime() - start) / 1e9);
                    int done = i - setup.warmup() + 1;
                    if (sampleEvery > 0 && done % sampleEvery == 0) {
                        rssSamples.add(ProcessMemory.now().residentMib());
                    }
                }
            }
            details.put("last_loss", loss);
            if (sampleEvery > 0) {
                ProcessMemory end = ProcessMemory.now();
                details.put("rss_after_warmup_mib", afterWarmup.residentMib());
                details.put("rss_after_steps_mib", end.residentMib());
                details.put("rss_growth_mib", end.residentMib() - afterWarmup.residentMib());
                details.put("rss_growth_kib_per_step", (end.residentKib() - afterWarmup.residentKib())
                        / (double) setup.iterations());
                details.put("rss_samples_mib", rssSamples);
                details.put("sample_every", sampleEvery);
            }
            return new Timings(seconds);
        }

        private double step() {
            int batch = setup.batch();
            float[] labels = new float[batch];
            float[] weights = new float[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = i % 2;
                weights[i] = i % 2 == 1 ? 0.6f : 0.4f; // class weights as MURA's w_abnormal / w_normal
            }
            try (NDManager step = trainer.getManager().newSubManager()) {
                NDArray x = setup.layout().create(step, images, batch, setup.spec().inputSize());
                NDList target = new NDList(step.create(labels), step.create(weights));
                return trainingStep.run(new NDList(x), target).loss(); // as EpochLoop steps
            }
        }
    }

    /** The product's way: the input in the setup's layout through a forward pass. */
    private static float[] logits(ForwardPass pass, AbnormalityNet net, NDManager parent, float[] images, Setup setup) {
        try (NDManager step = parent.newSubManager()) {
            NDArray x = setup.layout().create(step, images, setup.batch(), setup.spec().inputSize());
            return pass.forward(net, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    /** Uniform values in [-1, 1], the range the project's normalisation gives. */
    static float[] randomImages(int batch, int side) {
        SplittableRandom random = new SplittableRandom(DATA_SEED);
        float[] values = new float[batch * 3 * side * side];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private static double maxProbabilityDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(DatasetInference.sigmoid(a[i]) - DatasetInference.sigmoid(b[i])));
        }
        return max;
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static String name(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
