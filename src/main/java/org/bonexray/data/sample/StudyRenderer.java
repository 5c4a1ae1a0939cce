package org.bonexray.data.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Draws and writes the views of one study with the study's own random generator, so studies can be drawn
 * on any thread in any order and still give the same bytes. An abnormal study carries one or two findings;
 * each view shows them with probability {@link #SHOW_PROBABILITY}, and at least one view always does.
 */
final class StudyRenderer {
    static final double SHOW_PROBABILITY = 0.85;
    private static final double RGB_PROBABILITY = 0.3;
    private static final double MARKER_PROBABILITY = 0.3;
    private static final int POSE_ATTEMPTS = 30;

    private final SampleSpec spec;
    private final Path root;

    /** {@code root} stands for the {@code MURA-v1.1} folder the CSV paths start with. */
    StudyRenderer(SampleSpec spec, Path root) {
        this.spec = spec;
        this.root = root;
    }

    List<SampleImage> render(StudyPlan plan) throws IOException {
        SplittableRandom rng = new SplittableRandom(SamplePlanner.studySeed(spec.seed(), plan.index()));
        long patientSeed = rng.nextLong();
        // Normal studies draw findings too but never show them: poses are then chosen under the same
        // constraint for both labels, so framing and brightness carry no hint of the label.
        Anatomy canonical = AnatomyFactory.build(plan.bodyPart(), patientSeed, false, new SplittableRandom(0));
        List<Pathology> pathologies = new ArrayList<>();
        FindingType first = drawType(rng);
        pathologies.add(Pathology.draw(first, canonical, rng));
        if (rng.nextDouble() < 0.2) {
            FindingType second = FindingType.values()[(first.ordinal() + 1 + rng.nextInt(2)) % 3];
            pathologies.add(Pathology.draw(second, canonical, rng));
        }
        boolean abnormal = plan.label().isAbnormal();
        boolean[] show = new boolean[plan.views()];
        boolean any = false;
        for (int v = 0; v < show.length; v++) {
            show[v] = rng.nextDouble() < SHOW_PROBABILITY && abnormal;
            any |= show[v];
        }
        if (abnormal && !any) {
            show[rng.nextInt(show.length)] = true;
        }
        List<SampleImage> images = new ArrayList<>();
        for (int v = 0; v < plan.views(); v++) {
            SplittableRandom viewRng = new SplittableRandom(rng.nextLong());
            images.add(renderView(plan, v + 1, patientSeed, pathologies, show[v], viewRng));
        }
        return images;
    }

    private static FindingType drawType(SplittableRandom rng) {
        double u = rng.nextDouble();
        return u < 0.45 ? FindingType.FRACTURE : (u < 0.7 ? FindingType.HARDWARE : FindingType.LESION);
    }

    private SampleImage renderView(StudyPlan plan, int view, long patientSeed, List<Pathology> pathologies,
                                   boolean show, SplittableRandom rng) throws IOException {
        int[] size = drawSize(rng);
        int w = size[0];
        int h = size[1];
        boolean lateral = view % 2 == 0;
        Anatomy canonical = AnatomyFactory.build(plan.bodyPart(), patientSeed, lateral, rng);
        ViewPose pose = ViewPose.choose(canonical, pathologies, w, h, rng, POSE_ATTEMPTS);
        List<PlacedFinding> drawn = show ? pose.findings() : List.of();
        List<FindingBox> boxes = show ? pose.boxes() : List.of();
        List<Capsule> marker = rng.nextDouble() < MARKER_PROBABILITY
                ? Marker.letter(rng.nextBoolean() ? 'L' : 'R', w, h, pose.boxes(), rng) : List.of();
        RadiographRenderer renderer = new RadiographRenderer(w, h, pose.transform().scale());
        float[] attenuation = renderer.render(pose.anatomy(), drawn, marker, rng);
        byte[] gray = new FilmProcessor(rng).develop(attenuation, w, h, rng);
        boolean rgb = rng.nextDouble() < RGB_PROBABILITY;
        String path = plan.imagePath(view);
        Path file = root.resolve(path.substring(path.indexOf('/') + 1));
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(toImage(gray, w, h, rgb), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
        return new SampleImage(path, w, h, rgb, boxes);
    }

    /** Width and height: mostly portrait like MURA, some landscape, each side within the spec's range. */
    private int[] drawSize(SplittableRandom rng) {
        int min = spec.minSide();
        int max = spec.maxSide();
        int longSide = (int) Math.round(min + (max - min) * (0.4 + 0.6 * rng.nextDouble()));
        int shortSide = Math.max(min, (int) Math.round(longSide * (0.6 + 0.4 * rng.nextDouble())));
        return rng.nextDouble() < 0.25 ? new int[] {longSide, shortSide} : new int[] {shortSide, longSide};
    }

    private static BufferedImage toImage(byte[] gray, int w, int h, boolean rgb) {
        if (!rgb) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, w, h, gray);
            return img;
        }
        byte[] bgr = new byte[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            bgr[3 * i] = gray[i];
            bgr[3 * i + 1] = gray[i];
            bgr[3 * i + 2] = gray[i];
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        img.getRaster().setDataElements(0, 0, w, h, bgr);
        return img;
    }
}
