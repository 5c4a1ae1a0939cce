package org.bonexray.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bonexray.data.BodyPart;

/**
 * The views of one uploaded study, read from a multipart request into memory under the configured limits.
 *
 * @param views each upload's sanitised name and bytes, in request order
 * @param bodyPart the declared body part, null when the client gave none
 */
public record StudyUpload(List<View> views, BodyPart bodyPart) {
    /** The multipart field that carries the images. */
    public static final String IMAGES_FIELD = "images";
    /** The optional form field naming the body part. */
    public static final String BODY_PART_FIELD = "body_part";

    /** One upload: its display name (sanitised) and content. */
    public record View(String name, byte[] bytes) {
    }

    /** Reads and checks the request: multipart, within the size and count limits, a known body part. */
    public static StudyUpload read(Context ctx, ServeConfig.Limits config) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("multipart/form-data")) {
            throw new ApiException(415, "not_multipart", "send the images as multipart/form-data in the field '" + IMAGES_FIELD + "'");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxTotalBytes()) {
            throw tooLarge(config);
        }
        List<UploadedFile> files;
        String bodyPartText;
        try {
            files = ctx.uploadedFiles(IMAGES_FIELD);
            bodyPartText = ctx.formParam(BODY_PART_FIELD);
        } catch (RuntimeException e) {
            throw multipartFailure(e, config);
        }
        if (files.isEmpty()) {
            throw new ApiException(400, "no_images", "no image in the field '" + IMAGES_FIELD + "'");
        }
        if (files.size() > config.maxImages()) {
            throw new ApiException(413, "too_many_images", files.size() + " images, at most " + config.maxImages() + " per study");
        }
        BodyPart bodyPart = parseBodyPart(bodyPartText);
        List<View> views = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            UploadedFile f = files.get(i);
            String name = UploadNames.sanitize(f.filename(), i);
            if (f.size() > config.maxFileBytes()) {
                throw fileTooLarge(name, config);
            }
            byte[] bytes = readAll(f, name);
            total += bytes.length;
            if (total > config.maxTotalBytes()) {
                throw tooLarge(config);
            }
            views.add(new View(name, bytes));
        }
        return new StudyUpload(List.copyOf(views), bodyPart);
    }

    private static BodyPart parseBodyPart(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return BodyPart.parse(text).orElseThrow(() -> new ApiException(400, "bad_body_part",
                "unknown body_part; use one of ELBOW, FINGER, FOREARM, HAND, HUMERUS, SHOULDER, WRIST"));
    }

    private static byte[] readAll(UploadedFile f, String name) {
        try (InputStream in = f.content()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ApiException(400, "unreadable_upload", name + ": the upload could not be read");
        }
    }

    /** Jetty reports its own size limits as IllegalStateException; anything else is a malformed body. */
    private static ApiException multipartFailure(RuntimeException e, ServeConfig.Limits config) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("max filesize") || m.contains("maxfilesize")) {
                return new ApiException(413, "file_too_large", "an image exceeds the limit of " + mb(config.maxFileBytes()) + " per file");
            }
            if (m.contains("exceeds") || m.contains("too large") || m.contains("maxrequestsize")) {
                return tooLarge(config);
            }
        }
        return new ApiException(400, "bad_multipart", "the multipart body could not be parsed");
    }

    private static ApiException tooLarge(ServeConfig.Limits config) {
        return new ApiException(413, "request_too_large", "the request exceeds the limit of " + mb(config.maxTotalBytes()) + " in all");
    }

    private static ApiException fileTooLarge(String name, ServeConfig.Limits config) {
        return new ApiException(413, "file_too_large", name + ": exceeds the limit of " + mb(config.maxFileBytes()) + " per file");
    }

    static String mb(long bytes) {
        return bytes % ServeConfig.MB == 0 ? bytes / ServeConfig.MB + " MB" : bytes + " bytes";
    }
}
