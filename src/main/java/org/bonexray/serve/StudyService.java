package org.bonexray.serve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bonexray.data.BodyPart;
import org.bonexray.data.image.BadImageException;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.ImageDecoder;
import org.bonexray.data.image.Radiograph;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.StudyPredictor;

/**
 * Turns an uploaded study into the API's answer: decodes every view (content sniffing decides the type: PNG, JPEG,
 * DICOM; a DICOM file's own Body Part Examined or descriptions give the body part when the request names none),
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

    /**
     * A study's decoded views and its body part: the request's, else the one its DICOM views name (when they agree),
     * else none.
     *
     * @param views    the decoded views, in upload order
     * @param bodyPart the body part, null when unknown
     * @param source   where it came from: "request", "dicom", or null
     */
    record Decoded(List<StudyPredictor.View> views, BodyPart bodyPart, String source) {
    }

    /** Decodes every view, refusing the study at the first bad one (the message names it). */
    Decoded decode(StudyUpload upload) {
        List<StudyPredictor.View> views = new ArrayList<>();
        Set<BodyPart> named = EnumSet.noneOf(BodyPart.class);
        for (StudyUpload.View v : upload.views()) {
            try {
                Radiograph r = decoder.readRadiograph(v.bytes(), v.name());
                r.bodyPart().ifPresent(named::add);
                views.add(new StudyPredictor.View(v.name(), r.image(), null));
            } catch (BadImageException e) {
                throw badImage(v.name(), e.reason());
            }
        }
        if (upload.bodyPart() != null) {
            return new Decoded(views, upload.bodyPart(), "request");
        }
        return named.size() == 1 ? new Decoded(views, named.iterator().next(), "dicom") : new Decoded(views, null, null);
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
    ObjectNode predict(StudyPredictor predictor, Decoded decoded) {
        List<StudyPredictor.View> views = decoded.views();
        StudyPredictor.StudyResult result = predictor.predict("upload", views);
        List<String> links = new ArrayList<>();
        for (StudyPredictor.View v : views) {
            links.add(heatmapUrl(v.image()));
        }
        ObjectNode out = StudyJson.of(result, decoded.bodyPart(), links, modelId);
        out.put("body_part_source", decoded.source());
        return out;
    }

    private String heatmapUrl(GrayImage image) {
        byte[] png = heatmaps.overlayPng(model, image);
        return png == null ? null : HEATMAP_PATH + store.put(png) + ".png";
    }
}
