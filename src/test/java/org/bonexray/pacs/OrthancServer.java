package org.bonexray.pacs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Json;

/**
 * A real Orthanc (Debian's {@code orthanc} with {@code orthanc-dicomweb}) for tests: its own configuration and
 * storage in a temporary folder, a free HTTP port, remote access refused, the DICOM listener off, basic
 * authentication on with a test user. Tests that need it are skipped, saying why, when it is not installed.
 */
public final class OrthancServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    public static final String USER = "bonexray-test";
    public static final String PASSWORD = "s3cret-" + Long.toHexString(System.nanoTime());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int port;
    private Process process;

    private OrthancServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Skips the calling test unless Orthanc and its DICOMweb plugin are installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY) && Files.isRegularFile(DICOMWEB_PLUGIN),
                "Orthanc with its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb; .ci/run does)");
    }

    /** Starts a fresh Orthanc storing under {@code dir} and waits until it answers. */
    public static OrthancServer start(Path dir) {
        assumeInstalled();
        OrthancServer server = new OrthancServer(dir, freePort());
        server.writeConfig();
        server.launch();
        return server;
    }

    private void writeConfig() {
        Map<String, Object> config = new java.util.LinkedHashMap<>();
        config.put("Name", "bonexray-test");
        config.put("StorageDirectory", dir.resolve("storage").toString());
        config.put("IndexDirectory", dir.resolve("storage").toString());
        config.put("HttpPort", port);
        config.put("DicomServerEnabled", false);
        config.put("RemoteAccessAllowed", false);
        config.put("AuthenticationEnabled", true);
        config.put("RegisteredUsers", Map.of(USER, PASSWORD));
        config.put("Plugins", java.util.List.of(DICOMWEB_PLUGIN.toString()));
        config.put("StableAge", 1);
        config.put("HttpThreadsCount", 8);
        config.put("DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/", "Host", "127.0.0.1:" + port));
        AtomicFiles.writeJson(dir.resolve("orthanc.json"), config);
    }

    /** (Re)starts the process on the same storage and port. */
    public void launch() {
        try {
            process = new ProcessBuilder(BINARY.toString(), dir.resolve("orthanc.json").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("orthanc.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Orthanc exited with " + process.exitValue() + "; see " + dir.resolve("orthanc.log"));
            }
            try {
                if (get("system").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        stop();
        throw new IllegalStateException("Orthanc did not answer within 30 s; see " + dir.resolve("orthanc.log"));
    }

    /** Stops the process (SIGTERM, then kill after 15 s); the storage stays for a restart. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    int port() {
        return port;
    }

    /** The DICOMweb root. */
    public String dicomWebUrl() {
        return "http://127.0.0.1:" + port + "/dicom-web";
    }

    /** A GET of Orthanc's REST API (relative path), authenticated. */
    HttpResponse<byte[]> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", basic()).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** A GET answered as JSON (failing the test on any other status than 200). */
    public JsonNode json(String path) {
        try {
            HttpResponse<byte[]> r = get(path);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode());
            }
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether Orthanc holds the study and calls it stable (no new instance for StableAge). */
    public boolean stable(String studyUid) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tools/find"))
                    .timeout(Duration.ofSeconds(20)).header("Authorization", basic())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"Level\":\"Study\",\"Expand\":true,\"Query\":"
                            + "{\"StudyInstanceUID\":\"" + studyUid + "\"}}")).build();
            JsonNode found = Json.MAPPER.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
            return found.isArray() && found.size() == 1 && found.get(0).path("IsStable").asBoolean();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
