package org.bonexray.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.pacs.dicomweb.PacsAuth;
import org.bonexray.pacs.dicomweb.PacsEndpoint;
import org.bonexray.pacs.dicomweb.PacsHttp;
import org.bonexray.pacs.dicomweb.RetryPolicy;
import org.bonexray.pacs.dicomweb.Waiter;
import picocli.CommandLine.Option;

/** How the {@code pacs} commands reach the PACS (a picocli mixin): address, credentials, TLS, time and retries. */
public final class PacsOptions {
    static final String PASSWORD_ENV = "BONEXRAY_PACS_PASSWORD";
    static final String TOKEN_ENV = "BONEXRAY_PACS_TOKEN";

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "The PACS's DICOMweb root, e.g. http://pacs:8042/dicom-web (Orthanc) or https://... .")
    String url;

    @Option(names = "--user", description = "User for HTTP basic authentication; the password comes from --password or env "
            + PASSWORD_ENV + ".")
    String user;

    @Option(names = "--password", description = "Password for --user (prefer env " + PASSWORD_ENV
            + ": a command line is visible to other users).")
    String password;

    @Option(names = "--token", description = "Bearer token instead of a user (default: env " + TOKEN_ENV + ").")
    String token;

    @Option(names = "--trust-store", paramLabel = "FILE",
            description = "PKCS12 (or .jks) file of the certificates to trust for https (default: the JDK's).")
    Path trustStore;

    @Option(names = "--trust-store-password", description = "Password of --trust-store, if it has one.")
    String trustStorePassword;

    @Option(names = "--connect-timeout-s", defaultValue = "10", description = "Longest wait for a connection, in seconds.")
    long connectTimeoutSeconds;

    @Option(names = "--timeout-s", defaultValue = "120", description = "Longest wait for one whole answer, in seconds.")
    long timeoutSeconds;

    @Option(names = "--retries", defaultValue = "4",
            description = "Tries per request after network failures and 5xx/408/429 answers (1 = no retry).")
    int retries;

    @Option(names = "--retry-delay-ms", defaultValue = "500", description = "Wait after a first failure; it doubles up to 30 s.")
    long retryDelayMs;

    @Option(names = "--max-instance-mb", defaultValue = "256", description = "Largest answer accepted (one instance), in MB.")
    long maxInstanceMb;

    @Option(names = "--transfer-syntax", defaultValue = DicomWebClient.AS_STORED, paramLabel = "UID|*",
            description = "Transfer syntax asked of WADO-RS: * (as stored) or a UID the PACS transcodes to, "
                    + "e.g. 1.2.840.10008.1.2.1 (uncompressed).")
    String transferSyntax;

    /** The endpoint these options describe. */
    PacsEndpoint endpoint() {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new UsageException("--url is not a URL: " + e.getMessage());
        }
        return UsageException.of(() -> new PacsEndpoint(uri, auth(), Duration.ofSeconds(connectTimeoutSeconds),
                Duration.ofSeconds(timeoutSeconds), new RetryPolicy(retries, Duration.ofMillis(retryDelayMs), Duration.ofSeconds(30)),
                trustStore, trustStorePassword == null ? null : trustStorePassword.toCharArray(), maxInstanceMb * 1024 * 1024));
    }

    /** The DICOMweb client for these options; {@code waiter} paces the retries. */
    DicomWebClient client(Waiter waiter) {
        return new DicomWebClient(new PacsHttp(endpoint(), waiter), transferSyntax);
    }

    private PacsAuth auth() {
        String bearer = token != null ? token : System.getenv(TOKEN_ENV);
        if (user != null && bearer != null && token != null) {
            throw new UsageException("give either --user or --token, not both");
        }
        if (user != null) {
            return PacsAuth.basic(user, password != null ? password : System.getenv(PASSWORD_ENV));
        }
        return bearer == null || bearer.isEmpty() ? PacsAuth.NONE : PacsAuth.bearer(bearer);
    }
}
