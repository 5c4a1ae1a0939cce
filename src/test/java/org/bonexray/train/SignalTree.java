package org.bonexray.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small MURA-format tree whose abnormal images carry a bright disc at a random place: enough signal for a
 * tiny network to learn in a few epochs, small enough for unit tests.
 */
final class SignalTree {
    private SignalTree() {
    }

    static Path write(Path parent, int patientsPerPart, long seed) throws IOException {
        Path root = parent.resolve("MURA-v1.1");
        Random random = new Random(seed);
        List<String> studies = new ArrayList<>();
        List<String> images = new ArrayList<>();
        int patient = 0;
        for (String split : List.of("train", "valid")) {
            for (String part : List.of("XR_WRIST", "XR_HAND")) {
                int count = split.equals("train") ? patientsPerPart : patientsPerPart / 3;
                for (int p = 0; p < count; p++) {
                    patient++;
                    boolean abnormal = random.nextBoolean();
                    String id = String.format("%s/%s/patient%05d/study1_%s", split, part, patient, abnormal ? "positive" : "negative");
                    int views = 1 + random.nextInt(2);
                    for (int v = 1; v <= views; v++) {
                        Path file = root.resolve(id).resolve("image" + v + ".png");
                        Files.createDirectories(file.getParent());
                        ImageIO.write(image(random, abnormal), "png", file.toFile());
                        images.add("MURA-v1.1/" + id + "/image" + v + ".png");
                    }
                    studies.add("MURA-v1.1/" + id + "/," + (abnormal ? 1 : 0));
                }
            }
            Files.write(root.resolve(split + "_labeled_studies.csv"), studies.stream().filter(l -> l.contains("/" + split + "/")).toList());
            Files.write(root.resolve(split + "_image_paths.csv"), images.stream().filter(l -> l.contains("/" + split + "/")).toList());
        }
        return root;
    }

    private static BufferedImage image(Random random, boolean abnormal) {
        int w = 40 + random.nextInt(30);
        int h = 40 + random.nextInt(30);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(60, 60, 60));
        g.fillRect(0, 0, w, h);
        g.setColor(new Color(120, 120, 120));
        g.fillRect(w / 3, 0, w / 4, h); // a "bone" in every image
        if (abnormal) {
            g.setColor(Color.WHITE);
            int r = 6 + random.nextInt(4);
            g.fillOval(random.nextInt(w - r), random.nextInt(h - r), r, r);
        }
        g.dispose();
        return img;
    }
}
