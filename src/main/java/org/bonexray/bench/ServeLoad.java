package org.bonexray.bench;

import ai.djl.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bonexray.data.StudyInputs;
import org.bonexray.data.image.ImageFiles;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.data.image.ResizeMode;
import org.bonexray.io.ProcessMemory;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.Initialization;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;

/**
 * A client load on a running web service, as a hospital's worklist would send it: a steady phase of closed-loop
 * clients (each sends its next study as soon as the last is answered), then a burst of studies sent all at once.
 * Counts answers by status (a 503 is the service's deliberate refusal at a full queue; anything else but 200, or a
 * broken connection, is a failure), latency percentiles and throughput per phase, and samples the server's resident
 * set every half second when its process id is known.
 */
public final class ServeLoad {
    private static final String BOUNDARY = "----bonexrayLoadBoundary5c2e";
    /** The content type of the bodies {@link #multipartBody} writes. */
    public static final String MULTIPART_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private ServeLoad() {
    }

    /** One uploaded view: its file name and bytes. */
    public record Part(String filename, byte[] bytes) {
    }

    /**
     * What to send.
     *
     * @param studies the service's {@code POST /api/v1/studies} address
     * @param concurrency clients of the steady phase
     * @param requests studies sent in the steady phase
     * @param burst studies sent at once after it (0 for none)
     * @param serverPid the server's process id for RSS samples, or -1
     * @param token bearer token, or null
     */
    public record Settings(URI studies, int concurrency, int requests, int burst, long serverPid, String token) {
    }

    /**
     * One phase's outcome.
     *
     * @param requests studies sent
     * @param statuses answers by HTTP status
     * @param broken requests that got no answer (connection refused, reset or timed out)
     * @param p50Ms median latency
     * @param p90Ms 90th percentile
     * @param p95Ms 95th percentile
     * @param p99Ms 99th percentile
     * @param maxMs slowest answer
     * @param seconds wall time of the phase
     * @param studiesPerSecond studies answered 200 per second
     * @param viewsPerSecond their views per second
     */
    public record Phase(int requests, Map<Integer, Long> statuses, long broken, double p50Ms, double p90Ms, double p95Ms,
                        double p99Ms,
                        double maxMs, double seconds, double studiesPerSecond, double viewsPerSecond) {
        /** @return answers other than 200 and 503, plus broken requests */
        public long failures() {
            return broken + statuses.entrySet().stream().filter(e -> e.getKey() != 200 && e.getKey() != 503)
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /**
     * The whole run.
     *
     * @param steady the steady phase
     * @param burst the burst, null without one
     * @param rssMib the server's resident set in MiB every half second over the steady phase (empty without a pid)
     */
    public record Report(Phase steady, Phase burst, List<Double> rssMib) {
        /** @return the largest resident set of the second half of the steady phase minus the one at its start, MiB */
        public double rssGrowthSecondHalfMib() {
            if (rssMib.size() < 4) {
                return 0;
            }
            List<Double> second = rssMib.subList(rssMib.size() / 2, rssMib.size());
            return Collections.max(second) - second.get(0);
        }
    }

    /**
     * Runs the steady phase, then the burst.
     *
     * @param settings what to send
     * @param studies the studies, sent in turn
     * @return the report
     */
    public static Report run(Settings settings, List<List<Part>> studies) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<HttpRequest> requests = studies.stream().map(s -> request(settings, s)).toList();
        List<Integer> views = studies.stream().map(List::size).toList();
        List<Double> rss = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        if (settings.serverPid() > 0) {
            Path status = Path.of("/proc", Long.toString(settings.serverPid()), "status");
            sampler.scheduleAtFixedRate(() -> sample(status, rss), 0, 500, TimeUnit.MILLISECONDS);
        }
        Phase steady;
        try {
            steady = phase(client, requests, views, settings.requests(), settings.concurrency());
        } finally {
            sampler.shutdownNow();
        }
        Phase burst = settings.burst() > 0 ? phase(client, requests, views, settings.burst(), settings.burst()) : null;
        return new Report(steady, burst, List.copyOf(rss));
    }

    private static Phase phase(HttpClient client, List<HttpRequest> requests, List<Integer> views, int count,
                               int concurrency) throws InterruptedException {
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong broken = new AtomicLong();
        AtomicLong answeredViews = new AtomicLong();
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        for (int c = 0; c < concurrency; c++) {
            clients.submit(() -> {
                start.await();
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    int study = i % requests.size();
                    long t0 = System.nanoTime();
                    try {
                        int status = client.send(requests.get(study), HttpResponse.BodyHandlers.discarding()).statusCode();
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                        if (status == 200) {
                            answeredViews.addAndGet(views.get(study));
                        }
                    } catch (IOException e) {
                        broken.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            });
        }
        long t0 = System.nanoTime();
        start.countDown();
        clients.shutdown();
        if (!clients.awaitTermination(2, TimeUnit.HOURS)) {
            throw new IllegalStateException("the load did not finish within 2 hours");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] sorted = latencies.clone();
        java.util.Arrays.sort(sorted);
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((k, v) -> counts.put(k, v.get()));
        long ok = counts.getOrDefault(200, 0L);
        return new Phase(count, counts, broken.get(), ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.95),
                ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, seconds, ok / seconds, answeredViews.get() / seconds);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    private static void sample(Path status, List<Double> rss) {
        try {
            rss.add(ProcessMemory.parse(Files.readAllLines(status)).residentMib());
        } catch (IOException e) {
            // the server is gone: the report shows where the samples stop
        }
    }

    /**
     * Reads studies from a folder tree (a MURA copy or the synthetic sample): every folder holding radiographs is a
     * study, its radiographs its views.
     *
     * @param root the tree
     * @param max most studies read
     * @return the studies in path order
     */
    public static List<List<Part>> studies(Path root, int max) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(ImageFiles::hasImageName).sorted().toList();
        }
        List<List<Part>> out = new ArrayList<>();
        for (List<Path> study : StudyInputs.groupByStudy(files).values()) {
            if (out.size() == max) {
                break;
            }
            List<Part> parts = new ArrayList<>();
            for (Path view : study) {
                parts.add(new Part(view.getFileName().toString(), Files.readAllBytes(view)));
            }
            out.add(parts);
        }
        if (out.isEmpty()) {
            throw new IOException("no radiograph under " + root);
        }
        return out;
    }

    /**
     * Saves an initialised, untrained model (linear head, the [-1, 1] preprocessing at the variant's input size) for
     * load runs: how fast the service answers does not depend on what the weights learnt.
     *
     * @param dir the model folder to write
     * @param variant the DenseNet variant
     * @param size the input side
     * @return the folder
     */
    public static Path saveUntrained(Path dir, DenseNetVariant variant, int size) {
        ModelSpec spec = new ModelSpec(variant, HeadSpec.linear(), Initialization.HE, 42, size);
        Preprocessing pre = new Preprocessing(size, ResizeMode.SQUASH, Normalization.MINUS_ONE_TO_ONE);
        try (Model model = Model.newInstance("untrained")) {
            AbnormalityNet net = AbnormalityNet.initialize(model.getNDManager(), spec);
            model.setBlock(net);
            ModelArtifact.save(dir, net, new ModelArtifact.Description(ModelArtifact.FORMAT, spec, pre, 0.5),
                    Map.of("bonexray", "untrained for load runs", "weights", "He initialisation, seed 42, untrained"));
        }
        return dir;
    }

    private static HttpRequest request(Settings settings, List<Part> study) {
        HttpRequest.Builder b = multipart(settings.studies(), study, Map.of()).timeout(Duration.ofMinutes(5));
        if (settings.token() != null) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b.build();
    }

    /**
     * A {@code multipart/form-data} request with one {@code images} part per view and optional form fields.
     *
     * @param uri the address
     * @param parts the views
     * @param fields form fields such as {@code body_part}
     * @return the request builder (POST)
     */
    public static HttpRequest.Builder multipart(URI uri, List<Part> parts, Map<String, String> fields) {
        return HttpRequest.newBuilder(uri).header("Content-Type", MULTIPART_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(parts, fields)));
    }

    /**
     * The body of {@link #multipart}, for clients that write it themselves (its content type is
     * {@link #MULTIPART_TYPE}).
     *
     * @param parts the views
     * @param fields form fields such as {@code body_part}
     * @return the encoded body
     */
    public static byte[] multipartBody(List<Part> parts, Map<String, String> fields) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            write(body, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n");
        }
        for (Part p : parts) {
            body.writeBytes(partHead(p.filename()));
            body.writeBytes(p.bytes());
            write(body, "\r\n");
        }
        write(body, "--" + BOUNDARY + "--\r\n");
        return body.toByteArray();
    }

    /**
     * The head of one {@code images} part of a {@link #MULTIPART_TYPE} body, up to its first content byte.
     *
     * @param filename the part's file name
     * @return the encoded head
     */
    public static byte[] partHead(String filename) {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
