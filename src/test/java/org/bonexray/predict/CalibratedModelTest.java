package org.bonexray.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.data.BodyPart;
import org.bonexray.data.StudyInputs;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.serve.ModelCard;
import org.bonexray.serve.ServeFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A temperature and per-part thresholds saved in model.json are what predict and serve apply; old files still load. */
@Timeout(120)
class CalibratedModelTest {
    private static final double T = 2.5;

    @Test
    void aSavedTemperatureGivesSigmoidOfLogitOverT(@TempDir Path dir) {
        Path plain = ServeFixtures.tinyModel(dir.resolve("plain"));
        Path calibrated = ServeFixtures.tinyModel(dir.resolve("calibrated"));
        ModelArtifact.writeDescription(calibrated, ModelArtifact.readDescription(calibrated).withTemperature(T, "test"));
        List<GrayImage> images = List.of(StudyPredictorTtaTest.image(false), StudyPredictorTtaTest.image(true));
        try (LoadedModel a = ModelArtifact.load(plain); LoadedModel b = ModelArtifact.load(calibrated);
             StudyPredictor raw = StudyPredictorTtaTest.predictor(a, TestTimeAugmentation.NONE);
             StudyPredictor scaled = StudyPredictorTtaTest.predictor(b, TestTimeAugmentation.NONE)) {
            assertEquals(T, b.description().temperature());
            List<Double> p = raw.probabilities(images);
            List<Double> q = scaled.probabilities(images);
            for (int i = 0; i < images.size(); i++) {
                double logit = Math.log(p.get(i) / (1 - p.get(i)));
                assertEquals(1 / (1 + Math.exp(-logit / T)), q.get(i), 1e-9);
            }
            assertEquals(T, ModelCard.of(b, "x").get("temperature").asDouble(), "the model card shows T");
            assertEquals("test", ModelCard.of(b, "x").get("calibration").asText());
        }
    }

    @Test
    void anOldModelJsonWithoutTheFieldsLoadsWithTemperatureOne(@TempDir Path dir) throws Exception {
        Path model = ServeFixtures.tinyModel(dir.resolve("old"));
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(model.resolve("model.json").toFile());
        json.remove(List.of("temperature", "partThresholds", "calibration"));
        AtomicFiles.writeJson(model.resolve("model.json"), json);
        assertEquals(Json.MAPPER.readTree("[\"format\",\"spec\",\"preprocessing\",\"threshold\"]"),
                Json.MAPPER.valueToTree(List.copyOf(iterable(json))), "the file now has only format 1's first fields");
        try (LoadedModel m = ModelArtifact.load(model)) {
            assertEquals(1.0, m.description().temperature());
            assertTrue(m.description().partThresholds().isEmpty());
            assertNull(m.description().calibration());
            assertEquals(1.0, ModelCard.of(m, "x").get("temperature").asDouble());
        }
    }

    @Test
    void perPartThresholdsApplyWhenThePartIsKnownAndTheOverallOneOtherwise(@TempDir Path dir) {
        Path model = ServeFixtures.tinyModel(dir.resolve("m"));
        ModelArtifact.writeDescription(model, ModelArtifact.readDescription(model)
                .withThresholds(0.2, Map.of(BodyPart.WRIST, 0.9), "test"));
        try (LoadedModel m = ModelArtifact.load(model);
             StudyPredictor own = StudyPredictorTtaTest.predictor(m, TestTimeAugmentation.NONE);
             StudyPredictor fixed = new StudyPredictor(m, 0.4, org.bonexray.runtime.Precision.FP32,
                     org.bonexray.eval.StudyAggregation.MEAN)) {
            assertEquals(0.9, own.threshold(BodyPart.WRIST));
            assertEquals(0.2, own.threshold(BodyPart.HAND));
            assertEquals(0.2, own.threshold(null));
            assertEquals(0.4, fixed.threshold(BodyPart.WRIST), "the caller's threshold wins everywhere");
            var view = new StudyPredictor.View("a.png", StudyPredictorTtaTest.image(false), null);
            assertEquals(0.9, own.result("s", BodyPart.WRIST, List.of(view), List.of(0.5)).threshold());
            assertFalse(own.result("s", BodyPart.WRIST, List.of(view), List.of(0.5)).abnormal());
            assertTrue(own.result("s", null, List.of(view), List.of(0.5)).abnormal());
            assertEquals(0.9, ModelCard.of(m, "x").get("part_thresholds").get("WRIST").asDouble());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelArtifact.readDescription(model).withTemperature(0, "bad"));
        assertThrows(IllegalArgumentException.class,
                () -> ModelArtifact.readDescription(model).withThresholds(0.5, Map.of(BodyPart.HAND, 1.5), "bad"));
    }

    @Test
    void aStudyPathNamesItsBodyPartByItsXrFolder() {
        assertEquals(BodyPart.WRIST, StudyInputs.bodyPart("/d/MURA-v1.1/valid/XR_WRIST/patient11185/study1_positive"));
        assertEquals(BodyPart.HAND, StudyInputs.bodyPart("xr_hand/p1/s1"));
        assertNull(StudyInputs.bodyPart("/data/hand/p1/study1"), "only MURA's XR_ folders name a part");
        assertNull(StudyInputs.bodyPart("/data/XR_KNEE/p1"));
    }

    private static List<String> iterable(ObjectNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
