package org.bonexray.pacs;

import ai.djl.Device;
import java.nio.file.Path;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.runtime.Precision;
import org.bonexray.data.image.TestTimeAugmentation;
import org.bonexray.predict.StudyPredictor;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.serve.ModelCard;

/** A loaded model and its predictor wired to a PACS for round trips; closing it closes both. */
public final class ScoringSession implements AutoCloseable {
    private final LoadedModel model;
    private final StudyPredictor predictor;
    private final PacsScoring scoring;
    private final String modelId;

    private ScoringSession(LoadedModel model, StudyPredictor predictor, DicomWebClient client, int maxImages) {
        this.model = model;
        this.predictor = predictor;
        this.modelId = ModelArtifact.id(model.dir());
        this.scoring = new PacsScoring(new StudyScorer(client, predictor, ImageDecoder.STANDARD, maxImages),
                new ReportStore(client, modelId));
    }

    /**
     * Loads a model for scoring PACS studies.
     *
     * @param device where the model computes
     * @param threshold the decision threshold, null for the model's own
     * @param aggregation how view probabilities make the study's (as {@code predict --aggregation})
     * @param tta test-time views averaged into each view's probability
     * @param maxImages the most image instances a study may have
     */
    public static ScoringSession open(Path modelDir, Device device, Double threshold, Precision precision,
                                      StudyAggregation aggregation, TestTimeAugmentation tta, DicomWebClient client,
                                      int maxImages) {
        LoadedModel model = ModelArtifact.load(modelDir, device);
        try {
            return new ScoringSession(model, new StudyPredictor(model, threshold, precision, aggregation, tta), client, maxImages);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public PacsScoring scoring() {
        return scoring;
    }

    /** The model's id (the service's model card id), named in every report. */
    public String modelId() {
        return modelId;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
