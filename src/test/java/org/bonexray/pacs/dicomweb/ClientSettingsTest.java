package org.bonexray.pacs.dicomweb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
    private static PacsEndpoint endpoint(String url) {
        return new PacsEndpoint(URI.create(url), PacsAuth.NONE, Duration.ofSeconds(1), Duration.ofSeconds(1),
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO), null, null, 1024);
    }

    @Test
    void backOffDoublesUpToItsCap() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(3));
        assertEquals(Duration.ofMillis(500), p.delayAfter(1));
        assertEquals(Duration.ofMillis(1000), p.delayAfter(2));
        assertEquals(Duration.ofMillis(2000), p.delayAfter(3));
        assertEquals(Duration.ofSeconds(3), p.delayAfter(4));
        assertEquals(Duration.ofSeconds(3), p.delayAfter(1000));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
    }

    @Test
    void authHeadersFollowTheirRfcsAndNeverPrintTheSecret() {
        PacsAuth basic = PacsAuth.basic("Aladdin", "open sesame");
        assertEquals("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", basic.header()); // RFC 7617's own example
        assertFalse(basic.toString().contains("sesame"));
        PacsAuth bearer = PacsAuth.bearer("abc.def-123");
        assertEquals("Bearer abc.def-123", bearer.header());
        assertFalse(bearer.toString().contains("abc"));
        assertNull(PacsAuth.NONE.header());
        assertThrows(IllegalArgumentException.class, () -> PacsAuth.bearer("two words"));
        assertThrows(IllegalArgumentException.class, () -> PacsAuth.basic("a:b", "c"));
    }

    @Test
    void endpointsAreCheckedAndResolveBelowTheirRoot() {
        assertEquals(URI.create("http://pacs:8042/dicom-web/studies/1.2"), endpoint("http://pacs:8042/dicom-web").resolve("studies/1.2"));
        assertEquals(URI.create("https://pacs/dw/studies"), endpoint("https://pacs/dw/").resolve("studies"));
        assertThrows(IllegalArgumentException.class, () -> endpoint("ftp://pacs/dicom-web"));
        assertThrows(IllegalArgumentException.class, () -> endpoint("http://user:pw@pacs/dicom-web"));
        assertThrows(IllegalArgumentException.class, () -> endpoint("http://pacs/dicom-web?x=1"));
        assertEquals(URI.create("http://pacs:8042/"), OrthancChanges.rootBeside(endpoint("http://pacs:8042/dicom-web").dicomWeb()));
        assertNull(OrthancChanges.rootBeside(endpoint("http://pacs/wado").dicomWeb()));
    }

    @Test
    void errorSnippetsAreShortAndPrintable() {
        String s = PacsHttp.snippet(("{\"error\": \"x\"}\u0000\u0001" + "y".repeat(500)).getBytes());
        assertEquals(true, s.length() <= 202);
        assertFalse(s.contains("\u0000"));
        assertEquals("", PacsHttp.snippet(new byte[0]));
    }
}
