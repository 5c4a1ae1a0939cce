package org.bonexray.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.bonexray.data.InputBatches;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.model.LoadedModel;
import org.bonexray.runtime.ForwardPass;

/**
 * The one path from a batch of network inputs to image probabilities at inference, shared by {@link StudyPredictor}
 * (predict, the service, the PACS scorer) and {@link DatasetInference} (evaluate): every view of the test-time
 * augmentation goes through the network as one batch, and an image's probability is the mean of its views'
 * {@code sigmoid(logit)}. The model's temperature is applied to that mean by the callers ({@link Temperature#scale}),
 * so a temperature fitted on these probabilities is applied to the same quantity. An ensemble runs the same inputs
 * through each member ({@link #members}); its probability is the members' mean ({@link ViewScores}).
 */
public final class AugmentedInference {
    private AugmentedInference() {
    }

    /**
     * @param pass the forward pass (its precision)
     * @param net an initialised network giving one logit per image
     * @param manager parent of the per-view managers
     * @param preprocessing how the inputs were made (the rotations' fill value)
     * @param tta the views
     * @param nchw {@code count} inputs as {@link Preprocessing#toChw} writes them
     * @param count images in the batch
     * @return each image's mean probability over the views, uncalibrated
     */
    public static double[] probabilities(ForwardPass pass, Block net, NDManager manager, Preprocessing preprocessing,
                                         TestTimeAugmentation tta, float[] nchw, int count) {
        double[] sum = new double[count];
        for (RandomAugmentation.Draw view : tta.views()) {
            float[] input = TestTimeAugmentation.transform(view, nchw, count, preprocessing);
            try (NDManager sub = manager.newSubManager()) {
                add(sum, forward(pass, net, InputBatches.fromPixels(sub, input, count, preprocessing.size())));
            }
        }
        return mean(sum, tta.views().size());
    }

    /**
     * The same for a batch already on the device (the dataset's); without views it runs the batch as it is.
     *
     * @param batch the (N, 3, size, size) inputs
     * @return each image's mean probability over the views, uncalibrated
     */
    public static double[] probabilities(ForwardPass pass, Block net, NDManager manager, Preprocessing preprocessing,
                                         TestTimeAugmentation tta, NDArray batch) {
        int count = Math.toIntExact(batch.getShape().get(0));
        if (tta == TestTimeAugmentation.NONE) {
            double[] sum = new double[count];
            add(sum, forward(pass, net, batch));
            return sum;
        }
        return probabilities(pass, net, manager, preprocessing, tta, batch.toFloatArray(), count);
    }

    /**
     * Each member's probabilities of the same inputs (a single network's: one row).
     *
     * @param pass the forward pass (its precision)
     * @param model the loaded model
     * @param tta the views
     * @param nchw {@code count} inputs as {@link Preprocessing#toChw} writes them
     * @param count images in the batch
     * @return per member, each image's mean probability over the views, uncalibrated
     */
    public static double[][] members(ForwardPass pass, LoadedModel model, TestTimeAugmentation tta, float[] nchw,
                                     int count) {
        List<LoadedModel.Member> members = model.members();
        double[][] out = new double[members.size()][];
        for (int m = 0; m < out.length; m++) {
            out[m] = probabilities(pass, members.get(m).net(), members.get(m).manager(),
                    model.description().preprocessing(), tta, nchw, count);
        }
        return out;
    }

    private static float[] forward(ForwardPass pass, Block net, NDArray input) {
        return pass.forward(net, new NDList(input), false).singletonOrThrow().toFloatArray();
    }

    private static void add(double[] sum, float[] logits) {
        if (logits.length != sum.length) {
            throw new IllegalStateException("the network gave " + logits.length + " logits for " + sum.length + " images");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += DatasetInference.sigmoid(logits[i]);
        }
    }

    private static double[] mean(double[] sum, int views) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= views;
        }
        return sum;
    }
}
