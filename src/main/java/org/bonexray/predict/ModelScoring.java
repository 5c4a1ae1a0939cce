package org.bonexray.predict;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.BadImagePolicy;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.RadiographDataset;
import org.bonexray.data.SkippedImages;
import org.bonexray.data.Study;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.io.Progress;
import org.bonexray.model.LoadedModel;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.runtime.Precision;

/**
 * Scores the images of a list of studies with a saved model, giving the predictions metrics are computed from; an
 * ensemble's prediction of an image is the mean of its members' probabilities, each member's kept beside it.
 */
public final class ModelScoring {
    /**
     * Predictions of one pass.
     *
     * @param images one per readable image, in study order
     * @param skipped images left out as unreadable (only with {@link BadImagePolicy#SKIP})
     * @param members an ensemble's members' own predictions of the same images, with the same temperature, in
     *     member order; empty for a single network
     */
    public record Scored(List<ImagePrediction> images, SkippedImages skipped, List<List<ImagePrediction>> members) {
    }

    private ModelScoring() {
    }

    /** Scores with the model's temperature and no test-time augmentation. */
    public static Scored score(LoadedModel model, MuraIndex index, List<Study> studies, int batchSize, int threads,
                               BadImagePolicy badImages, Precision precision, PrintStream log, String label) {
        return score(model, index, studies, batchSize, threads, badImages, precision, TestTimeAugmentation.NONE,
                model.description().temperature(), log, label);
    }

    /**
     * Scores every readable image of the studies.
     *
     * @param tta the test-time views averaged into each image's probability
     * @param temperature applied to each image's mean probability ({@link Temperature#scale}); 1 for the raw one
     * @return the predictions and the images skipped
     */
    public static Scored score(LoadedModel model, MuraIndex index, List<Study> studies, int batchSize, int threads,
                               BadImagePolicy badImages, Precision precision, TestTimeAugmentation tta,
                               double temperature, PrintStream log, String label) {
        RadiographDataset set = RadiographDataset.builder().setStudies(studies)
                .setPreprocessing(model.description().preprocessing()).optAugmentation(RandomAugmentation.NONE)
                .optTraining(false).optBatchSize(batchSize).optThreads(threads).optBadImages(badImages).build();
        Progress progress = new Progress(log, label, set.size(), "img");
        double[][] members;
        try (ForwardPass pass = ForwardPass.of(precision, model.device())) {
            members = DatasetInference.members(pass, model, set, tta, progress::step);
        }
        progress.finish();
        List<ImagePrediction> images = calibrated(predictions(set, ViewScores.mean(members), index), temperature);
        List<List<ImagePrediction>> perMember = new ArrayList<>();
        if (model.isEnsemble()) {
            for (double[] member : members) {
                perMember.add(calibrated(predictions(set, member, index), temperature));
            }
        }
        return new Scored(images, set.skipped(), List.copyOf(perMember));
    }

    /** The predictions with each probability scaled by a temperature ({@link Temperature#scale}). */
    public static List<ImagePrediction> calibrated(List<ImagePrediction> images, double temperature) {
        return temperature == 1 ? images : images.stream().map(i -> new ImagePrediction(i.imagePath(), i.studyId(),
                i.bodyPart(), i.label(), Temperature.scale(i.probability(), temperature))).toList();
    }

    /** Turns a dataset's logits (NaN for skipped images) into image predictions named as MURA's CSVs name them. */
    public static List<ImagePrediction> predictions(RadiographDataset set, float[] logits, MuraIndex index) {
        double[] probabilities = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = Float.isNaN(logits[i]) ? Double.NaN : DatasetInference.sigmoid(logits[i]);
        }
        return predictions(set, probabilities, index);
    }

    /** The same from probabilities (NaN for skipped images). */
    public static List<ImagePrediction> predictions(RadiographDataset set, double[] probabilities, MuraIndex index) {
        List<ImagePrediction> images = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            if (!Double.isNaN(probabilities[i])) {
                RadiographDataset.Item item = set.items().get(i);
                images.add(new ImagePrediction(index.csvPath(item.image()), item.study().id(), item.study().bodyPart(),
                        item.study().label(), probabilities[i]));
            }
        }
        return images;
    }
}
