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
import org.bonexray.eval.ImagePrediction;
import org.bonexray.io.Progress;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.DatasetInference;
import org.bonexray.runtime.ForwardPass;
import org.bonexray.runtime.Precision;

/** Scores the images of a list of studies with a saved model, giving the predictions metrics are computed from. */
public final class ModelScoring {
    /**
     * Predictions of one pass.
     *
     * @param images one per readable image, in study order
     * @param skipped images left out as unreadable (only with {@link BadImagePolicy#SKIP})
     */
    public record Scored(List<ImagePrediction> images, SkippedImages skipped) {
    }

    private ModelScoring() {
    }

    public static Scored score(LoadedModel model, MuraIndex index, List<Study> studies, int batchSize, int threads,
                               BadImagePolicy badImages, Precision precision, PrintStream log, String label) {
        RadiographDataset set = RadiographDataset.builder().setStudies(studies)
                .setPreprocessing(model.description().preprocessing()).optAugmentation(RandomAugmentation.NONE)
                .optTraining(false).optBatchSize(batchSize).optThreads(threads).optBadImages(badImages).build();
        Progress progress = new Progress(log, label, set.size(), "img");
        float[] logits;
        try (ForwardPass pass = ForwardPass.of(precision, model.device())) {
            logits = DatasetInference.logits(pass, model.net(), set, model.model().getNDManager(), progress::step);
        }
        progress.finish();
        List<ImagePrediction> images = predictions(set, logits, index);
        return new Scored(images, set.skipped());
    }

    /** Turns a dataset's logits (NaN for skipped images) into image predictions named as MURA's CSVs name them. */
    public static List<ImagePrediction> predictions(RadiographDataset set, float[] logits, MuraIndex index) {
        List<ImagePrediction> images = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isNaN(logits[i])) {
                RadiographDataset.Item item = set.items().get(i);
                images.add(new ImagePrediction(index.csvPath(item.image()), item.study().id(), item.study().bodyPart(),
                        item.study().label(), DatasetInference.sigmoid(logits[i])));
            }
        }
        return images;
    }
}
