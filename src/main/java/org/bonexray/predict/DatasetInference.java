package org.bonexray.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Batch;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.bonexray.data.RadiographDataset;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.io.StopSignal;
import org.bonexray.model.LoadedModel;
import org.bonexray.runtime.ForwardPass;

/** Runs a network in inference mode over every image of a dataset, batch by batch. */
public final class DatasetInference {
    private DatasetInference() {
    }

    /**
     * The logit of every image, indexed like {@link RadiographDataset#items()}; NaN for images the dataset
     * skipped as unreadable.
     *
     * @param pass the forward pass (its precision)
     * @param block an initialised network producing one logit per image
     * @param dataset images to score (no augmentation expected)
     * @param manager parent of the per-batch managers
     * @param progress receives the number of images of each finished batch
     */
    public static float[] logits(ForwardPass pass, Block block, RadiographDataset dataset, NDManager manager,
                                 IntConsumer progress) {
        float[] out = new float[dataset.size()];
        Arrays.fill(out, Float.NaN);
        for (Batch batch : dataset.getData(manager)) {
            try (batch) {
                NDArray logits = pass.forward(block, batch.getData(), false).singletonOrThrow();
                float[] values = logits.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    out[(Integer) batch.getIndices().get(i)] = values[i];
                }
                progress.accept(batch.getSize());
            }
        }
        return out;
    }

    /**
     * Every image's probability under each member of a model, uncalibrated, with the views of a test-time
     * augmentation averaged ({@link AugmentedInference}): each batch is decoded once and goes through every member.
     * Indexed like {@link RadiographDataset#items()}, NaN for skipped images.
     *
     * @param pass the forward pass (its precision)
     * @param model the loaded model (one member for a single network)
     * @param dataset images to score (no augmentation expected)
     * @param tta the test-time views
     * @param progress receives the number of images of each finished batch
     * @return per member, one probability per image
     */
    public static double[][] members(ForwardPass pass, LoadedModel model, RadiographDataset dataset,
                                     TestTimeAugmentation tta, IntConsumer progress) {
        List<LoadedModel.Member> members = model.members();
        double[][] out = new double[members.size()][dataset.size()];
        for (double[] row : out) {
            Arrays.fill(row, Double.NaN);
        }
        for (Batch batch : dataset.getData(members.get(0).manager())) {
            try (batch) {
                for (int m = 0; m < out.length; m++) {
                    StopSignal.checkpoint();
                    double[] values = AugmentedInference.probabilities(pass, members.get(m).net(), batch.getManager(),
                            dataset.preprocessing(), tta, batch.getData().singletonOrThrow());
                    for (int i = 0; i < values.length; i++) {
                        out[m][(Integer) batch.getIndices().get(i)] = values[i];
                    }
                }
                progress.accept(batch.getSize());
            }
        }
        return out;
    }

    /** The logistic function, computed without overflow for large |x|. */
    public static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
