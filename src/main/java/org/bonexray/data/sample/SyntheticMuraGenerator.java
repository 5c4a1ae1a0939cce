package org.bonexray.data.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.bonexray.data.Split;
import org.bonexray.io.AtomicFiles;
import org.bonexray.io.Progress;

/**
 * Generates a synthetic dataset in MURA v1.1's exact layout (tree and four CSVs) plus two sidecars real MURA
 * lacks: {@code findings.csv} (the box of every drawn finding) and {@code sample_manifest.json} (the counts).
 * The same spec gives byte-identical files on any number of threads; the tree appears all at once, so a
 * kill never leaves half a dataset.
 */
public final class SyntheticMuraGenerator {
    /** Bump whenever the same spec would draw different files. */
    public static final String VERSION = "1.0";
    /** The folder MURA's archive unpacks to; all CSV paths start with it. */
    public static final String DATASET_FOLDER = "MURA-v1.1";
    public static final String FINDINGS_FILE = "findings.csv";

    private SyntheticMuraGenerator() {
    }

    /** The dataset folder a generation into {@code outDir} creates: {@code outDir/MURA-v1.1}. */
    public static Path datasetDir(Path outDir) {
        return outDir.resolve(DATASET_FOLDER);
    }

    /** How many images {@code spec} produces, to size a progress display before generating. */
    public static int imageCount(SampleSpec spec) {
        return SamplePlanner.plan(spec).stream().mapToInt(StudyPlan::views).sum();
    }

    /** Generates on up to two threads; refuses to replace an existing {@code outDir/MURA-v1.1}. */
    public static SampleManifest generate(Path outDir, SampleSpec spec, Progress progress) {
        return generate(outDir, spec, progress, false, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Generates {@code outDir/MURA-v1.1}, replacing an existing one only when {@code replaceExisting}.
     *
     * @param progress advanced by one per image written; may be null
     * @throws IllegalStateException when the dataset folder exists and may not be replaced
     */
    public static SampleManifest generate(Path outDir, SampleSpec spec, Progress progress, boolean replaceExisting,
                                          int threads) {
        Path target = datasetDir(outDir);
        if (Files.exists(target) && !replaceExisting) {
            throw new IllegalStateException(target + " already exists; refusing to overwrite it");
        }
        List<StudyPlan> plans = SamplePlanner.plan(spec);
        SampleManifest[] result = new SampleManifest[1];
        ImageIO.setUseCache(false);
        AtomicFiles.replaceDirectory(target, dir -> {
            List<List<SampleImage>> images = renderAll(dir, spec, plans, progress, Math.max(1, threads));
            writeCsvs(dir, plans, images);
            result[0] = ManifestCounter.count(spec, VERSION, plans, images);
            AtomicFiles.writeJson(dir.resolve(SampleManifest.FILE_NAME), result[0]);
        });
        if (progress != null) {
            progress.finish();
        }
        return result[0];
    }

    private static List<List<SampleImage>> renderAll(Path dir, SampleSpec spec, List<StudyPlan> plans,
                                                     Progress progress, int threads) throws IOException {
        StudyRenderer renderer = new StudyRenderer(spec, dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sample-data");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<SampleImage>>> futures = new ArrayList<>();
            for (StudyPlan plan : plans) {
                futures.add(pool.submit(() -> {
                    List<SampleImage> study = renderer.render(plan);
                    if (progress != null) {
                        progress.step(study.size());
                    }
                    return study;
                }));
            }
            List<List<SampleImage>> out = new ArrayList<>();
            for (Future<List<SampleImage>> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the sample", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException(new IOException(cause));
        } finally {
            pool.shutdownNow();
        }
    }

    /** MURA's four CSVs (no header) and the findings sidecar, in plan order. */
    private static void writeCsvs(Path dir, List<StudyPlan> plans, List<List<SampleImage>> images)
            throws IOException {
        StringBuilder findings = new StringBuilder("image_path,finding,x_min,y_min,x_max,y_max\n");
        for (Split split : Split.values()) {
            StringBuilder paths = new StringBuilder();
            StringBuilder studies = new StringBuilder();
            for (int i = 0; i < plans.size(); i++) {
                StudyPlan plan = plans.get(i);
                if (plan.split() != split) {
                    continue;
                }
                studies.append(plan.studyPath()).append(',').append(plan.label().value()).append('\n');
                for (SampleImage image : images.get(i)) {
                    paths.append(image.path()).append('\n');
                    for (FindingBox b : image.findings()) {
                        findings.append(image.path()).append(',').append(b.type().csvName()).append(',')
                                .append(b.xMin()).append(',').append(b.yMin()).append(',')
                                .append(b.xMax()).append(',').append(b.yMax()).append('\n');
                    }
                }
            }
            Files.writeString(dir.resolve(split.folderName() + "_image_paths.csv"), paths, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(split.folderName() + "_labeled_studies.csv"), studies,
                    StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve(FINDINGS_FILE), findings, StandardCharsets.UTF_8);
    }
}
