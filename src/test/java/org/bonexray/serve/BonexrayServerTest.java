package org.bonexray.serve;

import static org.bonexray.serve.ServeFixtures.multipart;
import static org.bonexray.serve.ServeFixtures.png;
import static org.bonexray.serve.ServeFixtures.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.bonexray.io.Json;
import org.bonexray.model.ModelArtifact;
import org.bonexray.serve.ServeFixtures.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API on a real server (loopback, port 0) with a TINY untrained model and one worker. */
class BonexrayServerTest {
    @TempDir
    static Path tmp;
    static Path modelDir;
    static BonexrayServer server;
    static String base;

    @BeforeAll
    static void start() throws InterruptedException {
        modelDir = ServeFixtures.tinyModel(tmp.resolve("model"));
        ServeConfig config = ServeConfig.builder().port(0).limits(256 * 1024, 600 * 1024, 8).heatmaps("none", "norm5")
                .build();
        server = ServeFixtures.serve(modelDir, config);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        assertFalse(Files.exists(server.uploadDir()), "the private upload directory is removed on close");
    }

    static HttpResponse<String> post(List<Part> parts, Map<String, String> fields) throws IOException, InterruptedException {
        return send(multipart(URI.create(base + BonexrayServer.STUDIES), parts, fields).build());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return Json.MAPPER.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String code) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json(r).get("error");
        assertEquals(code, e.get("code").asText(), r.body());
        assertFalse(e.get("message").asText().isBlank());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
    }

    @Test
    void predictsOneView() throws Exception {
        HttpResponse<String> r = post(List.of(new Part("view1.png", png(80, 60, 1))), Map.of());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        double p = body.get("images").get(0).get("probability").asDouble();
        assertTrue(p >= 0 && p <= 1, "probability " + p);
        assertEquals(p, body.get("probability").asDouble(), 1e-12);
        assertEquals(body.get("probability").asDouble() > 0.5 ? "abnormal" : "normal", body.get("label").asText());
        assertEquals(0.5, body.get("threshold").asDouble());
        assertTrue(body.get("body_part").isNull());
        assertTrue(body.get("images").get(0).has("heatmap"));
        assertEquals(ModelArtifact.id(modelDir), body.get("model_id").asText());
    }

    @Test
    void studyProbabilityIsTheMeanOfThreeViews() throws Exception {
        HttpResponse<String> r = post(List.of(new Part("a.png", png(64, 64, 2)), new Part("b.png", png(90, 70, 3)),
                new Part("c.png", png(50, 100, 4))), Map.of("body_part", "xr_wrist"));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("WRIST", body.get("body_part").asText());
        double sum = 0;
        for (JsonNode image : body.get("images")) {
            double p = image.get("probability").asDouble();
            assertTrue(p >= 0 && p <= 1);
            sum += p;
        }
        assertEquals(List.of("a.png", "b.png", "c.png"), names(body));
        assertEquals(sum / 3, body.get("probability").asDouble(), 1e-9);
    }

    @Test
    void dicomUploadsGiveTheirBodyPartUnlessTheRequestNamesOne() throws Exception {
        byte[] wrist = org.bonexray.data.dicom.Fixtures.bytes("m2_12bit_rescale_window_highbits.dcm");
        byte[] png = org.bonexray.data.dicom.Fixtures.bytes("radiograph.png");
        HttpResponse<String> r = post(List.of(new Part("IM0001", wrist), new Part("b.png", png)), Map.of());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("WRIST", body.get("body_part").asText());
        assertEquals("dicom", body.get("body_part_source").asText());
        // the DICOM view and the PNG of the same radiograph score alike
        assertEquals(body.get("images").get(0).get("probability").asDouble(),
                body.get("images").get(1).get("probability").asDouble(), 1e-6);
        JsonNode named = json(post(List.of(new Part("IM0001", wrist)), Map.of("body_part", "HAND")));
        assertEquals("HAND", named.get("body_part").asText());
        assertEquals("request", named.get("body_part_source").asText());
        JsonNode disagreeing = json(post(List.of(new Part("a", wrist),
                new Part("b", org.bonexray.data.dicom.Fixtures.bytes("rgb_colour_secondary_capture.dcm"))), Map.of()));
        assertTrue(disagreeing.get("body_part").isNull(), disagreeing.toString());
    }

    @Test
    void aBadDicomUploadIsRefusedByItsReason() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(org.bonexray.data.dicom.Fixtures.bytes("rle_12bit.dcm"), 2000);
        assertError(post(List.of(new Part("cut.dcm", cut)), Map.of()), 400, "bad_image");
        byte[] jpegLs = org.bonexray.data.dicom.Fixtures.bytes("pydicom/MR_small_jpeg_ls_lossless.dcm");
        assertError(post(List.of(new Part("ls.dcm", jpegLs)), Map.of()), 415, "unsupported_media_type");
    }

    @Test
    void refusesAnUnknownBodyPart() throws Exception {
        assertError(post(List.of(new Part("a.png", png(40, 40, 5))), Map.of("body_part", "KNEE")), 400, "bad_body_part");
    }

    @Test
    void truncatedPngIs400NamingTheFile() throws Exception {
        byte[] full = png(120, 120, 6);
        HttpResponse<String> r = post(List.of(new Part("ok.png", png(40, 40, 7)),
                new Part("cut.png", Arrays.copyOf(full, full.length / 2))), Map.of());
        assertError(r, 400, "bad_image");
        String message = json(r).get("error").get("message").asText();
        assertTrue(message.startsWith("cut.png: ") && message.contains("truncated"), message);
    }

    @Test
    void textNamedPngAndPdfAre415() throws Exception {
        HttpResponse<String> text = post(List.of(new Part("notes.png", "patient secret notes".getBytes(StandardCharsets.UTF_8))), Map.of());
        assertError(text, 415, "unsupported_media_type");
        assertTrue(json(text).get("error").get("message").asText().startsWith("notes.png: "));
        assertFalse(text.body().contains("secret"), "content is never echoed");
        byte[] pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".getBytes(StandardCharsets.US_ASCII);
        assertError(post(List.of(new Part("scan.png", pdf)), Map.of()), 415, "unsupported_media_type");
    }

    @Test
    void oversizedUploadsAre413() throws Exception {
        byte[] big = new byte[300 * 1024];
        big[0] = (byte) 0x89;
        assertError(post(List.of(new Part("big.png", big)), Map.of()), 413, "file_too_large");
        byte[] medium = new byte[200 * 1024];
        List<Part> four = List.of(new Part("1.png", medium), new Part("2.png", medium), new Part("3.png", medium), new Part("4.png", medium));
        assertError(post(four, Map.of()), 413, "request_too_large");
        byte[] small = png(32, 32, 8);
        List<Part> nine = Stream.generate(() -> new Part("s.png", small)).limit(9).toList();
        assertError(post(nine, Map.of()), 413, "too_many_images");
    }

    @Test
    void decompressionBombIsRefusedFromItsHeader() throws Exception {
        byte[] bomb = png(16, 16, 13);
        ByteBuffer.wrap(bomb, 16, 8).putInt(60_000).putInt(60_000); // IHDR width, height
        CRC32 crc = new CRC32();
        crc.update(bomb, 12, 17); // chunk type and data
        ByteBuffer.wrap(bomb, 29, 4).putInt((int) crc.getValue());
        HttpResponse<String> r = post(List.of(new Part("bomb.png", bomb)), Map.of());
        assertError(r, 413, "image_too_large");
        assertTrue(json(r).get("error").get("message").asText().startsWith("bomb.png: "));
    }

    @Test
    void emptyStudyAndNonMultipartAreRefused() throws Exception {
        assertError(post(List.of(), Map.of("body_part", "HAND")), 400, "no_images");
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + BonexrayServer.STUDIES))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertError(r, 415, "not_multipart");
    }

    @Test
    void pathTraversalNamesAreEchoedSanitisedAndNeverTouchTheFileSystem() throws Exception {
        Path sysTmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> before = listing(sysTmp);
        HttpResponse<String> r = post(List.of(new Part("../../etc/passwd", png(40, 40, 9)),
                new Part("..\\..\\windows\\evil.png", png(40, 40, 10)), new Part("../..", png(40, 40, 11))), Map.of());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("passwd", "evil.png", "image-3"), names(json(r)));
        assertEquals(before, listing(sysTmp), "nothing written to the temporary directory");
        assertEquals(Set.of(), listing(server.uploadDir()), "nothing spilled into the private upload directory");
        assertFalse(Files.exists(Path.of("/etc/passwd.png")));
    }

    @Test
    void modelCardHealthAndOpenApiAreJson() throws Exception {
        JsonNode card = json(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/model")).build()));
        assertEquals(0.5, card.get("threshold").asDouble());
        assertEquals("tiny", card.get("spec").get("variant").get("name").asText());
        assertEquals(64, card.get("preprocessing").get("size").asInt());
        assertEquals("MURA-v1.1", card.get("training_data").get("dataset").asText());
        assertFalse(card.toString().contains("/secret/path"), "no absolute server path in the card");
        assertEquals("test", card.get("provenance").get("bonexray").asText());
        JsonNode health = json(send(HttpRequest.newBuilder(URI.create(base + "/health")).build()));
        assertEquals("ok", health.get("status").asText());
        JsonNode api = json(send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build()));
        assertTrue(api.get("openapi").asText().startsWith("3."));
        assertTrue(api.get("paths").has("/api/v1/studies"));
    }

    @Test
    void unknownPathsAndMethodsAreJsonErrors() throws Exception {
        assertError(send(HttpRequest.newBuilder(URI.create(base + "/nope")).build()), 404, "not_found");
        assertError(send(HttpRequest.newBuilder(URI.create(base + "/api/v1/heatmaps/0123456789abcdef0123456789abcdef.png")).build()),
                404, "heatmap_not_found");
        assertError(send(HttpRequest.newBuilder(URI.create(base + BonexrayServer.STUDIES)).build()), 405, "method_not_allowed");
    }

    @Test
    void pageIsSelfContained() throws Exception {
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(base + "/")).build());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<!DOCTYPE html>") && page.body().contains("/app.js"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        for (String asset : List.of("/", "/app.js", "/app.css")) {
            String text = send(HttpRequest.newBuilder(URI.create(base + asset)).build()).body();
            assertFalse(text.contains("http://") || text.contains("https://") || text.contains("//cdn"),
                    asset + " references an external resource");
        }
    }

    private static List<String> names(JsonNode body) {
        return Stream.of(body.get("images")).flatMap(a -> java.util.stream.StreamSupport.stream(a.spliterator(), false))
                .map(i -> i.get("name").asText()).toList();
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
