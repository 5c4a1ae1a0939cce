package org.bonexray.data.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;
import org.bonexray.runtime.Precision;
import org.bonexray.predict.StudyPredictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model gives a PNG and the same radiograph as DICOM, in every lossless form, the same probability. */
class DicomPredictionParityTest {
    private static final List<String> FORMS = List.of("m2_8bit_explicit.dcm", "m2_8bit_implicit.dcm",
            "m2_8bit_deflate.dcm", "m1_8bit_inverted.dcm", "m2_12bit_rescale_window_highbits.dcm",
            "m2_16bit_signed_window.dcm", "m2_12bit_voi_lut.dcm", "m2_12bit_modality_lut.dcm", "jpeg_lossless_8bit.dcm",
            "jpeg_lossless_12bit.dcm", "j2k_lossless_12bit_3fragments.dcm", "rle_12bit.dcm", "rgb_8bit_planar.dcm");

    @TempDir
    Path dir;

    @Test
    void sameProbabilityAsThePng() {
        ModelSpec spec = new ModelSpec(DenseNetVariant.TINY, HeadSpec.linear(), Initialization.HE, 7, 48);
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelArtifact.save(dir, AbnormalityNet.initialize(manager, spec), new ModelArtifact.Description(
                    ModelArtifact.FORMAT, spec, new Preprocessing(48, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE),
                    0.5), Map.of("purpose", "test"));
        }
        try (LoadedModel model = ModelArtifact.load(dir);
             StudyPredictor predictor = new StudyPredictor(model, null, Precision.FP32, org.bonexray.eval.StudyAggregation.MEAN)) {
            double png = probability(predictor, "radiograph.png");
            for (String form : FORMS) {
                assertEquals(png, probability(predictor, form), 1e-4, form);
            }
            // and the probability is not a constant of the model: another image gives another one
            double other = probability(predictor, "m2_12bit_sigmoid.dcm");
            assertEquals(true, Math.abs(other - png) > 1e-4, "sigmoid " + other + " png " + png);
        }
    }

    private static double probability(StudyPredictor predictor, String name) {
        StudyPredictor.View view = new StudyPredictor.View(name, Fixtures.decode(name), null);
        return predictor.predict(name, List.of(view)).probability();
    }
}
