package org.bonexray.explain.boxes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bonexray.data.DataException;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.image.ImageDimensions;
import org.bonexray.explain.Box;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The four box formats read into the same boxes, their conversions, and their refusals of bad entries. */
class BoxFormatsTest {
    private static final String HAND = "MURA-v1.1/valid/XR_HAND/patient00001/study1_positive/image1.png";
    private static final String WRIST = "MURA-v1.1/valid/XR_WRIST/patient00002/study1_positive/image1.png";
    private static final Map<String, List<Box>> EXPECTED = Map.of(
            HAND, List.of(new Box(2, 3, 12, 10), new Box(20, 5, 38, 29)),
            WRIST, List.of(new Box(10, 8, 40, 32)));

    @TempDir
    Path dir;
    private MuraIndex index;

    @BeforeEach
    void tree() throws Exception {
        png(dir.resolve(HAND), 40, 30);
        png(dir.resolve(WRIST), 64, 48);
        png(dir.resolve("MURA-v1.1/train/XR_HAND/patient00003/study1_negative/image1.png"), 32, 32);
        index = MuraIndexLoader.load(dir.resolve("MURA-v1.1"), LoadOptions.STRICT);
    }

    private static void png(Path file, int w, int h) throws Exception {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", file.toFile());
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private BoxLoader.Loaded load(Path source) {
        return BoxLoader.load(source, BoxFormat.detect(source), index);
    }

    private Path coco(String images, String annotations) throws Exception {
        return write("coco.json", "{\"images\": [" + images + "], \"annotations\": [" + annotations + "]}");
    }

    private static String voc(String fileName, String path, String... boxes) {
        StringBuilder sb = new StringBuilder("<annotation><folder>MURA</folder><filename>" + fileName + "</filename>");
        sb.append(path == null ? "" : "<path>" + path + "</path>");
        for (String b : boxes) {
            String[] v = b.split(",");
            sb.append("<object><name>fracture</name><bndbox><xmin>").append(v[0]).append("</xmin><ymin>").append(v[1])
                    .append("</ymin><xmax>").append(v[2]).append("</xmax><ymax>").append(v[3]).append("</ymax></bndbox></object>");
        }
        return sb.append("</annotation>").toString();
    }

    private static String yolo(Box b, int w, int h) {
        return "0 " + (b.xMin() + b.xMax()) / 2.0 / w + " " + (b.yMin() + b.yMax()) / 2.0 / h + " "
                + (b.xMax() - b.xMin()) / (double) w + " " + (b.yMax() - b.yMin()) / (double) h + "\n";
    }

    @Test
    void theFourFormsOfTheSameBoxesGiveTheSameBoxes() throws Exception {
        Path csv = write("findings.csv", "image_path,finding,x_min,y_min,x_max,y_max\n" + HAND + ",fracture,2,3,12,10\n"
                + HAND + ",lesion,20,5,38,29\n" + WRIST + ",hardware,10,8,40,32\n");
        Path coco = coco("{\"id\": 7, \"file_name\": \"valid/XR_HAND/patient00001/study1_positive/image1.png\","
                        + " \"width\": 40, \"height\": 30}, {\"id\": \"w\", \"file_name\":"
                        + " \"patient00002/study1_positive/image1.jpg\", \"width\": 64, \"height\": 48}",
                "{\"image_id\": 7, \"bbox\": [2, 3, 10, 7]}, {\"image_id\": 7, \"bbox\": [20.0, 5.0, 18.0, 24.0]},"
                        + " {\"image_id\": \"w\", \"bbox\": [10, 8, 30, 24]}");
        // VOC is 1-based and inclusive: [2, 12) is columns 3..12
        write("voc/hand.xml", voc("image1.png", "C:\\annotator\\MURA-v1.1\\valid\\XR_HAND\\patient00001\\"
                + "study1_positive\\image1.png", "3,4,12,10", "21,6,38,29"));
        write("voc/patient00002/study1_positive/image1.xml", voc("image1.png", null, "11,9,40,32"));
        write("yolo/classes.txt", "fracture\n");
        write("yolo/XR_HAND/patient00001/study1_positive/image1.txt",
                yolo(EXPECTED.get(HAND).get(0), 40, 30) + "\n" + yolo(EXPECTED.get(HAND).get(1), 40, 30));
        write("yolo/patient00002/study1_positive/image1.txt", yolo(EXPECTED.get(WRIST).get(0), 64, 48));
        for (Path source : List.of(csv, coco, dir.resolve("voc"), dir.resolve("yolo"))) {
            BoxLoader.Loaded loaded = load(source);
            assertEquals(EXPECTED, loaded.boxes(), source.toString());
            BoxLoader.Report r = loaded.report();
            assertEquals(List.of(3, 3, 2, 0, 0, 0), List.of(r.read(), r.kept(), r.images(), r.unmatched(), r.empty(),
                    r.sizeMismatches()), r.summary());
        }
        assertEquals(List.of(BoxFormat.CSV, BoxFormat.COCO, BoxFormat.VOC, BoxFormat.YOLO), List.of(
                BoxFormat.detect(csv), BoxFormat.detect(coco), BoxFormat.detect(dir.resolve("voc")),
                BoxFormat.detect(dir.resolve("yolo"))));
    }

    @Test
    void vocOneBasedInclusivePixelsBecomeZeroBasedExclusive() throws Exception {
        Path file = write("one.xml", voc("image1.png", HAND, "1,1,1,1", "40,30,40,30"));
        List<SourceBox> read = BoxFormat.VOC.read(file);
        ImageDimensions.Size size = new ImageDimensions.Size(40, 30);
        assertEquals(new Box(0, 0, 1, 1), BoxLoader.toPixels(read.get(0), size)); // the top-left pixel
        assertEquals(new Box(39, 29, 40, 30), BoxLoader.toPixels(read.get(1), size)); // the bottom-right pixel
        assertEquals(List.of(new Box(0, 0, 1, 1), new Box(39, 29, 40, 30)), load(file).boxes().get(HAND));
    }

    @Test
    void yoloFractionsAreScaledByTheImageFilesRealSize() throws Exception {
        assertEquals(new ImageDimensions.Size(64, 48), ImageDimensions.of(dir.resolve(WRIST)));
        write("y/patient00002/study1_positive/image1.txt", "3 0.5 0.5 0.5 0.25\n");
        assertEquals(List.of(new Box(16, 18, 48, 30)), load(dir.resolve("y")).boxes().get(WRIST));
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsResolvedOrExpanded() throws Exception {
        Path secret = write("secret.txt", "top secret");
        Path xxe = write("xxe.xml", "<?xml version=\"1.0\"?><!DOCTYPE annotation [<!ENTITY x SYSTEM \""
                + secret.toUri() + "\">]>" + voc("&x;", HAND, "1,1,5,5"));
        DataException e = assertThrows(DataException.class, () -> load(xxe));
        assertTrue(e.getMessage().contains("xxe.xml") && e.getMessage().contains("DOCTYPE"), e.getMessage());
        Path laughs = write("laughs.xml", "<!DOCTYPE a [<!ENTITY l \"lol\"><!ENTITY l2 \"&l;&l;&l;&l;&l;\">]>"
                + voc("&l2;", HAND, "1,1,5,5"));
        assertTrue(assertThrows(DataException.class, () -> load(laughs)).getMessage().contains("DOCTYPE"));
        Path big = write("big.xml", voc("image1.png", HAND, "1,1,5,5") + " ".repeat(1 << 20));
        assertTrue(assertThrows(DataException.class, () -> load(big)).getMessage().contains("over the limit"));
    }

    @Test
    void malformedEntriesAreNamedWithFileAndEntry() throws Exception {
        Path unknown = coco("{\"id\": 1, \"file_name\": \"image1.png\"}", "{\"image_id\": 2, \"bbox\": [1, 1, 2, 2]}");
        assertMessage(unknown, "coco.json", "annotations[0]", "no image's id");
        Path negative = coco("{\"id\": 1, \"file_name\": \"x.png\"}",
                "{\"image_id\": 1, \"bbox\": [1, 1, 2, 2]}, {\"image_id\": 1, \"bbox\": [1, 1, -2, 2]}");
        assertMessage(negative, "coco.json", "annotations[1]", "-2");
        write("yb/a.txt", "0 0.5 0.5 0.1 0.1\n0 0.5 0.5 1.2 0.1\n");
        assertMessage(dir.resolve("yb"), "a.txt", "line 2", "1.2");
        write("yc/a.txt", "0 0.5 0.5 0.1\n");
        assertMessage(dir.resolve("yc"), "a.txt", "line 1", "4 fields");
        Path inverted = write("inv.xml", voc("image1.png", HAND, "9,1,5,5"));
        assertMessage(inverted, "inv.xml", "object 1", "negative box width");
        Path notNumber = write("nan.xml", voc("image1.png", HAND, "1,NaN,5,5"));
        assertMessage(notNumber, "nan.xml", "object 1", "<ymin>");
        Path notVoc = write("other.xml", "<svg/>");
        assertMessage(notVoc, "other.xml", "<annotation>", "<filename>");
    }

    private void assertMessage(Path source, String... parts) {
        String message = assertThrows(DataException.class, () -> load(source)).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), message + " lacks " + part);
        }
    }

    @Test
    void boxesAreClippedAndThoseNamingNoImageOrLeftEmptyAreCountedNotFatal() throws Exception {
        Path coco = coco("{\"id\": 1, \"file_name\": \"" + HAND + "\", \"width\": 80, \"height\": 60},"
                        + " {\"id\": 2, \"file_name\": \"patient09999/study1_positive/image1.png\"}",
                "{\"image_id\": 1, \"bbox\": [35, 20, 20, 20]}, {\"image_id\": 1, \"bbox\": [40, 0, 5, 5]},"
                        + " {\"image_id\": 2, \"bbox\": [1, 1, 2, 2]}");
        BoxLoader.Loaded loaded = load(coco);
        assertEquals(Map.of(HAND, List.of(new Box(35, 20, 40, 30))), loaded.boxes());
        BoxLoader.Report r = loaded.report();
        assertEquals(List.of(3, 1, 1, 1, 2), List.of(r.read(), r.kept(), r.unmatched(), r.empty(), r.sizeMismatches()));
        assertEquals(List.of("patient09999/study1_positive/image1.png"), r.unmatchedExamples());
        assertTrue(r.summary().contains("1 matched no image") && r.summary().contains("1 empty"), r.summary());
    }

    @Test
    void aNameTwoImagesEndInIsRefusedNamingBoth() throws Exception {
        Path coco = coco("{\"id\": 1, \"file_name\": \"study1_positive/image1.png\"}",
                "{\"image_id\": 1, \"bbox\": [1, 1, 2, 2]}");
        assertMessage(coco, "annotations[0]", HAND, WRIST);
        Path bare = coco("{\"id\": 1, \"file_name\": \"image1.png\"}", "{\"image_id\": 1, \"bbox\": [1, 1, 2, 2]}");
        assertMessage(bare, "matches both");
        assertThrows(IllegalArgumentException.class, () -> BoxFormat.detect(write("boxes.dat", "")));
        assertEquals(BoxFormat.YOLO, BoxFormat.parse(" Yolo"));
        assertThrows(IllegalArgumentException.class, () -> BoxFormat.parse("kitti"));
    }
}
