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
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.Radiograph;
import org.bonexray.explain.Heatmap;
import org.bonexray.explain.Overlays;
import org.bonexray.predict.StudyPredictor;

/**
 * The request threads' part of a study: decodes every view (content sniffing decides the type: PNG, JPEG, DICOM; a
 * DICOM file's own Body Part Examined or descriptions give the body part when the request names none), preprocesses
 * them for the batcher, and turns the batcher's outcome into the API's answer (overlay PNGs rendered, stored and
 * linked). The network itself runs only on the batcher's threads.
 */
final class StudyService {
    static final String HEATMAP_PATH = "/api/v1/heatmaps/";
    /**
     * Stands in for a view's decoded image once it is preprocessed and no heatmap needs it: the study's result only
     * asks whether a view was readable, and keeping every queued radiograph at full size would cost the queue
     * megabytes per view.
     */
    private static final GrayImage PREPROCESSED = new GrayImage(1, 1, new float[1]);

    private final ImageDecoder decoder;
    private final HeatmapStore store;

    StudyService(ServeConfig config, HeatmapStore store) {
        this.decoder = new ImageDecoder(config.limits().maxPixels(), ImageDecoder.DEFAULT_MAX_SIDE);
        this.store = store;
    }

    /**
     * A study's decoded views and its body part: the request's, else the one its DICOM views name (when they agree),
     * else none.
     *
     * @param names the views' names, in upload order
     * @param images the decoded views, in upload order
     * @param bodyPart the body part, null when unknown
     * @param source where it came from: "request", "dicom", or null
     */
    record Decoded(List<String> names, List<GrayImage> images, BodyPart bodyPart, String source) {
        /** @return bytes the decoded pixels take */
        long bytes() {
            return images.stream().mapToLong(i -> 4L * i.pixels().length).sum();
        }
    }

    /**
     * A study ready for the batcher.
     *
     * @param views the views as the study's result needs them (images only where heatmaps need them)
     * @param images the decoded views for the heatmaps, or null without heatmaps
     * @param pixels the views preprocessed, one after the other
     * @param bodyPart the body part, null when unknown
     * @param source where the body part came from
     */
    record Prepared(List<StudyPredictor.View> views, List<GrayImage> images, float[] pixels,
                    BodyPart bodyPart, String source) {
        int count() {
            return views.size();
        }
    }

    /** Decodes every view, refusing the study at the first bad one (the message names it). */
    Decoded decode(StudyUpload upload) {
        List<String> names = new ArrayList<>();
        List<GrayImage> images = new ArrayList<>();
        Set<BodyPart> named = EnumSet.noneOf(BodyPart.class);
        for (StudyUpload.View v : upload.views()) {
            try {
                Radiograph r = decoder.readRadiograph(v.bytes(), v.name());
                r.bodyPart().ifPresent(named::add);
                names.add(v.name());
                images.add(r.image());
            } catch (BadImageException e) {
                throw badImage(v.name(), e);
            }
        }
        if (upload.bodyPart() != null) {
            return new Decoded(names, images, upload.bodyPart(), "request");
        }
        return named.size() == 1 ? new Decoded(names, images, named.iterator().next(), "dicom")
                : new Decoded(names, images, null, null);
    }

    /** Preprocesses the decoded views as the model expects them; keeps the images only for heatmaps. */
    static Prepared prepare(Decoded decoded, Preprocessing preprocessing, boolean heatmaps) {
        int n = decoded.images().size();
        int per = preprocessing.floatsPerImage();
        float[] pixels = new float[n * per];
        List<StudyPredictor.View> views = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            GrayImage image = decoded.images().get(i);
            preprocessing.toChw(image, pixels, i * per);
            views.add(new StudyPredictor.View(decoded.names().get(i),
                    heatmaps ? image : PREPROCESSED, null));
        }
        return new Prepared(List.copyOf(views), heatmaps ? decoded.images() : null, pixels, decoded.bodyPart(),
                decoded.source());
    }

    /**
     * The client-facing error for a refused image: only its name and the reason's words, never content; a size
     * refusal adds its detail (the dimensions or byte count the decoder read and the limits: numbers only), so a
     * client can tell what to shrink.
     */
    static ApiException badImage(String name, BadImageException e) {
        BadImageException.Reason reason = e.reason();
        boolean sized = reason == BadImageException.Reason.TOO_LARGE && e.detail() != null;
        String message = name + ": " + reason.words() + (sized ? " (" + e.detail() + ")" : "");
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

    /** The JSON answer from the batcher's outcome, with each view's overlay rendered and linked. */
    ObjectNode answer(Prepared study, StudyBatcher.Outcome outcome) {
        List<String> links = new ArrayList<>();
        for (int i = 0; i < study.count(); i++) {
            Heatmap h = outcome.heatmaps() == null ? null : outcome.heatmaps().get(i);
            links.add(h == null ? null : heatmapUrl(study.images().get(i), h));
        }
        ObjectNode out = StudyJson.of(outcome.result(), study.bodyPart(), links, outcome.modelId());
        out.put("body_part_source", study.source());
        return out;
    }

    private String heatmapUrl(GrayImage image, Heatmap heatmap) {
        try {
            return HEATMAP_PATH + store.put(Overlays.overlayPng(image, heatmap)) + ".png";
        } catch (RuntimeException e) {
            BonexrayServer.LOG.warn("heatmap overlay failed: {}", e.getClass().getName());
            return null;
        }
    }
}
