package org.bonexray.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;
import org.bonexray.predict.StudyPredictor;

/**
 * One loaded model as the service uses it: the model, its id and card, its heatmap renderer and one predictor per
 * batcher thread, reference-counted so that a model swapped out by a reload closes only after the last batch on it.
 * The {@link ModelSlot} holds one reference while the model is current; each batch holds one while it runs.
 */
final class ServedModel {
    private final LoadedModel model;
    private final String id;
    private final ObjectNode card;
    private final HeatmapRenderer renderer;
    private final List<StudyPredictor> predictors;
    private final AtomicInteger references = new AtomicInteger(1);

    private ServedModel(LoadedModel model, String id, HeatmapRenderer renderer, List<StudyPredictor> predictors) {
        this.model = model;
        this.id = id;
        this.card = ModelCard.of(model, id);
        this.card.put("tta", predictors.isEmpty() ? "none" : predictors.get(0).tta().label());
        this.renderer = renderer;
        this.predictors = predictors;
    }

    /**
     * Takes ownership of a loaded model (closing it if this fails) and makes its predictors.
     *
     * @param model the model
     * @param config the service's precision, aggregation, heatmaps and batcher count
     * @return the served model, holding the one reference its creator owns
     * @throws IllegalArgumentException when the heatmap choice does not fit the model
     */
    static ServedModel of(LoadedModel model, ServeConfig config) {
        List<StudyPredictor> predictors = new ArrayList<>();
        try {
            HeatmapRenderer renderer;
            try {
                renderer = ExplainHeatmaps.forChoice(config.heatmaps(), config.heatmapLayer(), model);
            } catch (IllegalArgumentException e) {
                throw new HeatmapChoiceException(e);
            }
            for (int i = 0; i < config.queue().workers(); i++) {
                predictors.add(new StudyPredictor(model, null, config.precision(), config.aggregation(), config.tta()));
            }
            return new ServedModel(model, ModelArtifact.id(model.dir()), renderer, predictors);
        } catch (RuntimeException e) {
            predictors.forEach(StudyPredictor::close);
            model.close();
            throw e;
        }
    }

    LoadedModel model() {
        return model;
    }

    String id() {
        return id;
    }

    ObjectNode card() {
        return card;
    }

    HeatmapRenderer renderer() {
        return renderer;
    }

    Preprocessing preprocessing() {
        return model.description().preprocessing();
    }

    /** The predictor of one batcher thread (predictors are not thread-safe). */
    StudyPredictor predictor(int worker) {
        return predictors.get(worker);
    }

    int predictorCount() {
        return predictors.size();
    }

    /** Adds a reference unless the model is already closed; false then. */
    boolean retain() {
        while (true) {
            int n = references.get();
            if (n == 0) {
                return false;
            }
            if (references.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the predictors and the model. */
    void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            predictors.forEach(StudyPredictor::close);
            model.close();
        } else if (left < 0) {
            throw new IllegalStateException("model " + id + " released more often than retained");
        }
    }

    /** Whether the model has been closed (its last reference dropped). */
    boolean closed() {
        return references.get() == 0;
    }
}
