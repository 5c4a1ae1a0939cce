package org.bonexray.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Checks shared by the report tests: sections present, nothing external, every image an embedded PNG. */
final class ReportTestSupport {
    private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern SRC = Pattern.compile("\\bsrc=\"([^\"]*)\"");

    private ReportTestSupport() {
    }

    static void assertSections(String html) {
        for (String id : ReportPage.SECTIONS) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), "missing section " + id);
        }
    }

    /** Returns how many images the page embeds. */
    static int assertSelfContained(String html) throws IOException {
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:|//)", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "external resource in the report");
        assertFalse(html.toLowerCase().contains("<link"), "stylesheet link in the report");
        assertFalse(html.toLowerCase().contains("<script"), "script in the report");
        Matcher img = IMG.matcher(html);
        int n = 0;
        while (img.find()) {
            Matcher src = SRC.matcher(img.group());
            assertTrue(src.find(), "img without src: " + img.group().substring(0, Math.min(80, img.group().length())));
            String uri = src.group(1);
            assertTrue(uri.startsWith("data:image/png;base64,"), "img not a PNG data URI: " + uri.substring(0, Math.min(40, uri.length())));
            byte[] png = Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()));
            assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), "embedded image does not decode");
            n++;
        }
        return n;
    }

    static void assertPng(java.nio.file.Path file, int w, int h) throws IOException {
        var img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " is not an image");
        assertEquals(w, img.getWidth(), file.toString());
        assertEquals(h, img.getHeight(), file.toString());
    }
}
