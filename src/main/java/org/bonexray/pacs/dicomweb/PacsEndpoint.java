package org.bonexray.pacs.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where and how to reach a DICOMweb server.
 *
 * @param dicomWeb the DICOMweb root (QIDO-RS, WADO-RS and STOW-RS below it), {@code http://pacs:8042/dicom-web}
 * @param auth how requests authenticate
 * @param connectTimeout the longest wait for a connection
 * @param requestTimeout the longest wait for one whole answer, body included
 * @param retry how failed requests are tried again
 * @param trustStore a PKCS12 or JKS file of trusted certificates for https, null for the JDK's own
 * @param trustStorePassword its password, may be null
 * @param maxResponseBytes the largest answer accepted (one instance, one search result)
 */
public record PacsEndpoint(URI dicomWeb, PacsAuth auth, Duration connectTimeout, Duration requestTimeout,
                           RetryPolicy retry, Path trustStore, char[] trustStorePassword, long maxResponseBytes) {
    public PacsEndpoint {
        String scheme = dicomWeb.getScheme() == null ? "" : dicomWeb.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || dicomWeb.getHost() == null) {
            throw new IllegalArgumentException("the PACS URL must be http:// or https:// with a host, got " + dicomWeb);
        }
        if (dicomWeb.getRawQuery() != null || dicomWeb.getRawFragment() != null) {
            throw new IllegalArgumentException("the PACS URL must not carry a query or fragment: " + dicomWeb);
        }
        if (dicomWeb.getRawUserInfo() != null) {
            throw new IllegalArgumentException("put no credentials in the PACS URL; use --user/--password or --token");
        }
        if (maxResponseBytes <= 0 || connectTimeout.isNegative() || connectTimeout.isZero()
                || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts and the response limit must be positive");
        }
        String path = dicomWeb.getRawPath() == null ? "" : dicomWeb.getRawPath();
        dicomWeb = dicomWeb.resolve(path.endsWith("/") ? path : path + "/");
    }

    /** The address of a resource below the DICOMweb root; {@code relative} must not start with a slash. */
    public URI resolve(String relative) {
        return dicomWeb.resolve(relative);
    }

    /** The TLS context trusting {@link #trustStore}, or the JDK's default when there is none. */
    SSLContext sslContext() {
        try {
            if (trustStore == null) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(trustStore.toString().toLowerCase(Locale.ROOT).endsWith(".jks")
                    ? "JKS" : "PKCS12");
            try (InputStream in = Files.newInputStream(trustStore)) {
                store.load(in, trustStorePassword);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return dicomWeb + " (auth " + auth + ")";
    }
}
