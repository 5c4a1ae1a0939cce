package org.bonexray.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.StudyPredictor;

/**
 * Turns an uploaded study into the API's answer: decodes every view (content sniffing decides the type),
 * predicts them with a borrowed predictor, stores heatmap overlays and links them.
 */
final class StudyService {
    static final String HEATMAP_PATH = "/api/v1/heatmaps/";

    private final LoadedModel model;
    private final String modelId;
    private final ImageDecoder decoder;
    private final HeatmapRenderer heatmaps;
    private final HeatmapStore store;

    StudyService(LoadedModel model, String modelId, ServeConfig config, HeatmapRenderer heatmaps, HeatmapStore store) {
        this.model = model;
        this.modelId = modelId;
        this.decoder = new ImageDecoder(config.maxPixels(), ImageDecoder.DEFAULT_MAX_SIDE);
        this.heatmaps = heatmaps;
        this.store = store;
    }

    /** Decodes every view, refusing the study at the first bad one (the message names it). */
    List<StudyPredictor.View> decode(StudyUpload upload) {
        List<StudyPredictor.View> views = new ArrayList<>();
        for (StudyUpload.View v : upload.views()) {
            try {
                views.add(new StudyPredictor.View(v.name(), decoder.read(v.bytes(), v.name()), null));
            } catch (BadImageException e) {
                throw badImage(v.name(), e.reason());
            }
        }
        return views;
    }

    /** The client-facing error for a refused image: only its name and the reason's words, never content. */
    static ApiException badImage(String name, BadImageException.Reason reason) {
        String message = name + ": " + reason.words();
        switch (reason) {
            case NOT_AN_IMAGE:
            case UNSUPPORTED_FORMAT:
                return new ApiException(415, "unsupported_media_type", message);
            case TOO_LARGE:
                return new ApiException(413, "image_too_large", message);
            default:
                return new ApiException(400, "bad_image", message);
        }
    }

    /** Predicts the decoded views and builds the JSON answer. */
    ObjectNode predict(StudyPredictor predictor, StudyUpload upload, List<StudyPredictor.View> views) {
        StudyPredictor.StudyResult result = predictor.predict("upload", views);
        List<String> links = new ArrayList<>();
        for (StudyPredictor.View v : views) {
            links.add(heatmapUrl(v.image()));
        }
        return StudyJson.of(result, upload.bodyPart(), links, modelId);
    }

    private String heatmapUrl(GrayImage image) {
        byte[] png = heatmaps.overlayPng(model, image);
        return png == null ? null : HEATMAP_PATH + store.put(png) + ".png";
    }
}
