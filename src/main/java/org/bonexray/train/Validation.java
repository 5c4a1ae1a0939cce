package org.bonexray.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.PrintStream;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.RadiographDataset;
import org.bonexray.eval.BinaryMetrics;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.Progress;
import org.bonexray.predict.DatasetInference;
import org.bonexray.predict.ModelScoring;
import org.bonexray.runtime.ForwardPass;

/** Scores the held-out validation split after an epoch: image-level loss and study-level metrics. */
final class Validation {
    /**
     * One validation pass.
     *
     * @param loss weighted mean image-level loss, as the training loss is computed
     * @param studyMetrics study-level metrics at threshold 0.5 (study probability = mean of its images')
     * @param images per-image predictions
     */
    record Outcome(double loss, BinaryMetrics studyMetrics, List<ImagePrediction> images) {
    }

    private Validation() {
    }

    static Outcome run(ForwardPass pass, Block net, RadiographDataset set, NDManager manager, ToDoubleFunction<RadiographDataset.Item> weight,
                       MuraIndex index, PrintStream out, String label) {
        Progress progress = new Progress(out, label, set.size(), "img");
        float[] logits = DatasetInference.logits(pass, net, set, manager, progress::step);
        progress.finish();
        return outcome(set, logits, weight, index);
    }

    static Outcome outcome(RadiographDataset set, float[] logits, ToDoubleFunction<RadiographDataset.Item> weight, MuraIndex index) {
        double lossSum = 0;
        int n = 0;
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isNaN(logits[i])) { // NaN: skipped as unreadable
                RadiographDataset.Item item = set.items().get(i);
                lossSum += weight.applyAsDouble(item) * WeightedBinaryCrossEntropy.of(logits[i], item.study().label().value());
                n++;
            }
        }
        List<ImagePrediction> images = ModelScoring.predictions(set, logits, index);
        BinaryMetrics metrics = Evaluation.studyMetrics(StudyAggregation.MEAN.aggregate(images), 0.5);
        return new Outcome(lossSum / n, metrics, images);
    }
}
