package org.bonexray.pacs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.pacs.dicomweb.PacsAuth;
import org.bonexray.pacs.dicomweb.PacsEndpoint;
import org.bonexray.pacs.dicomweb.PacsHttp;
import org.bonexray.pacs.dicomweb.RetryPolicy;
import org.bonexray.pacs.dicomweb.Waiter;

/** Shared pieces of the PACS tests: a client for a test Orthanc, and study folders of the synthetic sample. */
public final class PacsFixtures {
    private PacsFixtures() {
    }

    static DicomWebClient client(OrthancServer orthanc, String password, int attempts) {
        PacsEndpoint endpoint = new PacsEndpoint(URI.create(orthanc.dicomWebUrl()),
                PacsAuth.basic(OrthancServer.USER, password), Duration.ofSeconds(5), Duration.ofSeconds(30),
                new RetryPolicy(attempts, Duration.ofMillis(50), Duration.ofMillis(200)), null, null, 64L << 20);
        return new DicomWebClient(new PacsHttp(endpoint, Waiter.SLEEP), DicomWebClient.AS_STORED);
    }

    public static DicomWebClient client(OrthancServer orthanc) {
        return client(orthanc, OrthancServer.PASSWORD, 2);
    }

    /** Writes a small synthetic sample and returns its valid split's study folders, sorted. */
    public static List<Path> sampleStudies(Path dir) {
        SyntheticMuraGenerator.generate(dir, new SampleSpec(7, 1, 1, 64, 96, 0.5), null);
        try (Stream<Path> walk = Files.walk(dir.resolve("MURA-v1.1/valid"))) {
            List<Path> studies = new ArrayList<>(walk.filter(p -> p.getFileName().toString().startsWith("study"))
                    .filter(Files::isDirectory).sorted().toList());
            return studies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The images of a study folder, sorted. */
    public static List<Path> images(Path study) {
        try (Stream<Path> list = Files.list(study)) {
            return list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
