package org.bonexray.serve;

import static org.bonexray.serve.ServeFixtures.multipart;
import static org.bonexray.serve.ServeFixtures.png;
import static org.bonexray.serve.ServeFixtures.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bonexray.data.BodyPart;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.io.Json;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.runtime.Precision;
import org.bonexray.serve.ServeFixtures.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The service applies the model's temperature, its body part's threshold and --tta, and its card says so. */
@Timeout(120)
class ServeAccuracyTest {

    @Test
    void ttaTemperatureAndPartThresholdsReachTheApi(@TempDir Path tmp) throws Exception {
        Path modelDir = ServeFixtures.tinyModel(tmp.resolve("model"));
        ModelArtifact.writeDescription(modelDir, ModelArtifact.readDescription(modelDir).withTemperature(3.0, "test")
                .withThresholds(0.3, Map.of(BodyPart.WRIST, 0.7), "test"));
        byte[] view = png(80, 60, 5);
        double expected;
        try (LoadedModel model = ModelArtifact.load(modelDir);
             StudyPredictor predictor = new StudyPredictor(model, null, Precision.FP32, StudyAggregation.MEAN,
                     TestTimeAugmentation.FLIP)) {
            expected = predictor.probabilities(List.of(ImageDecoder.decode(view, "view.png"))).get(0);
        }
        ServeConfig config = ServeConfig.builder().port(0).heatmaps("none", "norm5").precision(Precision.FP32)
                .tta(TestTimeAugmentation.FLIP).build();
        try (BonexrayServer server = ServeFixtures.serve(modelDir, config)) {
            String base = "http://127.0.0.1:" + server.port();
            JsonNode card = Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/model")).build()).body());
            assertEquals("flip", card.get("tta").asText());
            assertEquals(3.0, card.get("temperature").asDouble());
            assertEquals(0.7, card.get("part_thresholds").get("WRIST").asDouble());
            URI studies = URI.create(base + BonexrayServer.STUDIES);
            JsonNode wrist = Json.MAPPER.readTree(send(multipart(studies, List.of(new Part("v.png", view)),
                    Map.of("body_part", "XR_WRIST")).build()).body());
            JsonNode unknown = Json.MAPPER.readTree(send(multipart(studies, List.of(new Part("v.png", view)),
                    Map.of()).build()).body());
            assertEquals(0.7, wrist.get("threshold").asDouble(), wrist.toString());
            assertEquals(0.3, unknown.get("threshold").asDouble(), unknown.toString());
            assertEquals(expected, wrist.get("probability").asDouble(), 1e-6, "the service's TTA and T are predict's");
        }
    }
}
