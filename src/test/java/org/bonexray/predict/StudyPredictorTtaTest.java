package org.bonexray.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.RandomAugmentation;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.runtime.Precision;
import org.bonexray.serve.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Test-time augmentation in the one inference path: a mirror-symmetric image gains nothing, TTA is a plain mean. */
@Timeout(120)
class StudyPredictorTtaTest {

    @Test
    void flipOfAMirrorSymmetricImageEqualsNoTta(@TempDir Path dir) {
        try (LoadedModel model = ModelArtifact.load(ServeFixtures.tinyModel(dir.resolve("m")));
             StudyPredictor none = predictor(model, TestTimeAugmentation.NONE);
             StudyPredictor flip = predictor(model, TestTimeAugmentation.FLIP)) {
            GrayImage symmetric = image(true);
            assertEquals(none.probabilities(List.of(symmetric)).get(0), flip.probabilities(List.of(symmetric)).get(0), 1e-5);
            GrayImage lopsided = image(false);
            assertNotEquals(none.probabilities(List.of(lopsided)).get(0), flip.probabilities(List.of(lopsided)).get(0),
                    "a lopsided image's mirror is another input, so flip TTA must change its probability");
        }
    }

    @Test
    void ttaIsTheMeanOfTheViewsProbabilitiesComputedByHand(@TempDir Path dir) {
        try (LoadedModel model = ModelArtifact.load(ServeFixtures.tinyModel(dir.resolve("m")));
             StudyPredictor none = predictor(model, TestTimeAugmentation.NONE);
             StudyPredictor tta = predictor(model, TestTimeAugmentation.FLIP_ROTATE)) {
            Preprocessing pre = model.description().preprocessing();
            List<GrayImage> images = List.of(image(false), image(true));
            List<Double> got = tta.probabilities(images);
            for (int i = 0; i < images.size(); i++) {
                float[] chw = pre.toChw(images.get(i));
                double sum = 0;
                for (RandomAugmentation.Draw view : TestTimeAugmentation.FLIP_ROTATE.views()) {
                    sum += none.probabilities(TestTimeAugmentation.transform(view, chw, 1, pre), 1).get(0);
                }
                assertEquals(sum / 6, got.get(i), 1e-6, "image " + i);
            }
        }
    }

    static StudyPredictor predictor(LoadedModel model, TestTimeAugmentation tta) {
        return new StudyPredictor(model, null, Precision.FP32, StudyAggregation.MEAN, tta);
    }

    /** A 64 x 64 image (the tiny model's input size, so no resize): mirror-symmetric, or with a bright left corner. */
    static GrayImage image(boolean symmetric) {
        int side = 64;
        float[] px = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double d = Math.abs(x - (side - 1) / 2.0);
                px[y * side + x] = (float) (0.2 + 0.6 * d / side + 0.1 * Math.sin(y / 5.0));
                if (!symmetric && x < 20 && y < 20) {
                    px[y * side + x] = 0.95f;
                }
            }
        }
        return new GrayImage(side, side, px);
    }
}
