package org.bonexray.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.bonexray.data.BodyPart;
import org.bonexray.data.DatasetStats;
import org.bonexray.data.Label;
import org.bonexray.data.Split;
import org.bonexray.data.Study;
import org.bonexray.eval.BootstrapSettings;
import org.bonexray.eval.Evaluation;
import org.bonexray.eval.EvaluationResult;
import org.bonexray.eval.ImagePrediction;
import org.bonexray.eval.RocCurve;
import org.bonexray.eval.StudyAggregation;
import org.bonexray.eval.StudyPrediction;
import org.bonexray.eval.ThresholdChoice;
import org.bonexray.experiment.GridSummary;
import org.bonexray.train.EpochRecord;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every chart plots the numbers it is given and renders them to a PNG of its documented size. */
class ChartsTest {
    private static final List<BodyPart> PARTS = List.of(BodyPart.ELBOW, BodyPart.HAND, BodyPart.WRIST);

    static List<ImagePrediction> predictions(int studies, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ImagePrediction> out = new ArrayList<>();
        for (int s = 0; s < studies; s++) {
            Label label = Label.of(s % 2 == 1);
            BodyPart part = PARTS.get(s % PARTS.size());
            String study = part.folderName() + "/patient" + s + "/study1_" + label.folderSuffix();
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                double p = 0.5 + 0.25 * (label.value() - 0.5) + 0.3 * (random.nextDouble() - 0.5);
                out.add(new ImagePrediction(study + "/image" + i + ".png", study, part, label, Math.max(0, Math.min(1, p))));
            }
        }
        return out;
    }

    static BufferedImage decode(byte[] png, int width, int height) throws IOException {
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "not a decodable PNG");
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        return img;
    }

    private static void check(JFreeChart chart, int w, int h) throws IOException {
        decode(ChartStyle.png(chart, w, h), w, h);
    }

    @Test
    void evaluationChartsAreValidPngsOfTheDocumentedSizes() throws IOException {
        List<ImagePrediction> images = predictions(60, 7);
        EvaluationResult result = new Evaluation(StudyAggregation.MEAN, ThresholdChoice.defaultChoice().choose(List.of()),
                new BootstrapSettings(100, 42, 0.95)).evaluate(images);
        List<StudyPrediction> studies = StudyAggregation.MEAN.aggregate(images);
        check(Charts.roc(result.studyLevel(), "valid split"), ChartStyle.SQUARE_W, ChartStyle.SQUARE_H);
        check(Charts.bodyPartBars(result.studyLevel(), "valid split"), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        check(EvalCharts.confusion(result.studyLevel().overall().metrics().confusion(), "All", false),
                ChartStyle.CONFUSION_W, ChartStyle.CONFUSION_H);
        check(EvalCharts.confusion(result.studyLevel().byBodyPart().get(0).metrics().confusion(), "Elbow", true),
                ChartStyle.SMALL_W, ChartStyle.SMALL_H);
        check(EvalCharts.calibration(studies, result.studyLevel().overall().metrics(), "valid split"),
                ChartStyle.SQUARE_W, ChartStyle.SQUARE_H);
        GridSummary summary = new GridSummary("g", List.of(new GridSummary.Entry("a", "freeze=all", result.studyLevel().overall()),
                new GridSummary.Entry("b", "", null)));
        check(EvalCharts.gridBars(summary), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        Map<String, RocCurve> curves = new LinkedHashMap<>();
        curves.put("a", result.studyLevel().overall().metrics().roc());
        check(Charts.rocOverlay(curves, "valid split"), ChartStyle.SQUARE_W, ChartStyle.SQUARE_H);
        assertTrue(summary.markdown().contains("| b | "), summary.markdown());
        assertTrue(summary.markdown().contains("pending"), summary.markdown());
    }

    @Test
    void trainingAndDataChartsAreValidPngs() throws IOException {
        List<EpochRecord> history = List.of(new EpochRecord(1, 1e-3, 0.7, 0.55, 0.69, 0.6, 0.5, 0.2, 0.66, 50, 3, 0),
                new EpochRecord(2, 1e-3, 0.6, 0.65, 0.65, 0.7, 0.6, 0.4, null, 50, 3, 0));
        check(Charts.loss(history), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        check(Charts.accuracy(history), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
        DatasetStats stats = new DatasetStats(List.of(
                new DatasetStats.Row("train", "XR_ELBOW", 10, 8, 6, 20, 15),
                new DatasetStats.Row("train", "TOTAL", 10, 8, 6, 20, 15),
                new DatasetStats.Row("valid", "XR_ELBOW", 4, 3, 2, 7, 5),
                new DatasetStats.Row("valid", "TOTAL", 4, 3, 2, 7, 5)));
        check(Charts.composition(stats), ChartStyle.WIDE_W, ChartStyle.WIDE_H);
    }

    @Test
    void chartsPlotTheGivenNumbersAndDrawThem() throws IOException {
        List<ImagePrediction> images = predictions(60, 7);
        EvaluationResult result = new Evaluation(StudyAggregation.MEAN, ThresholdChoice.defaultChoice().choose(List.of()),
                new BootstrapSettings(100, 42, 0.95)).evaluate(images);
        JFreeChart roc = Charts.roc(result.studyLevel(), "valid split");
        XYDataset curves = roc.getXYPlot().getDataset();
        assertEquals(1 + result.studyLevel().byBodyPart().size() + 1, curves.getSeriesCount(), "all, each part, chance");
        RocCurve overall = result.studyLevel().overall().metrics().roc();
        assertEquals(overall.size(), curves.getItemCount(0));
        for (int i = 0; i < overall.size(); i++) {
            assertEquals(overall.fpr().get(i), curves.getXValue(0, i), 0.0);
            assertEquals(overall.tpr().get(i), curves.getYValue(0, i), 0.0);
        }
        assertTrue(curves.getSeriesKey(0).toString().contains(String.format(java.util.Locale.ROOT, "%.3f",
                result.studyLevel().overall().metrics().auroc())), curves.getSeriesKey(0).toString());

        CategoryDataset bars = Charts.bodyPartBars(result.studyLevel(), "valid split").getCategoryPlot().getDataset();
        assertEquals(result.studyLevel().overall().metrics().accuracy(), bars.getValue("accuracy", "All").doubleValue(), 0.0);
        assertEquals(1 + PARTS.size(), bars.getColumnCount(), "All and each body part");

        List<EpochRecord> history = List.of(new EpochRecord(1, 1e-3, 0.7, 0.55, 0.69, 0.6, 0.5, 0.2, 0.66, 50, 3, 0),
                new EpochRecord(2, 1e-3, 0.6, 0.65, 0.65, 0.7, 0.6, 0.4, null, 50, 3, 0));
        XYDataset loss = Charts.loss(history).getXYPlot().getDataset();
        assertEquals(0.6, loss.getYValue(0, 1), 0.0, "training loss of epoch 2");
        assertEquals(0.65, loss.getYValue(1, 1), 0.0, "validation loss of epoch 2");
        XYDataset accuracy = Charts.accuracy(history).getXYPlot().getDataset();
        assertEquals(1, accuracy.getItemCount(2), "an epoch without AUROC is left out, not drawn as 0");

        // Drawn, not blank: the curves' colours appear in the picture.
        BufferedImage picture = decode(ChartStyle.png(roc, ChartStyle.SQUARE_W, ChartStyle.SQUARE_H),
                ChartStyle.SQUARE_W, ChartStyle.SQUARE_H);
        assertTrue(pixelsOf(picture, ((java.awt.Color) ChartStyle.PALETTE[0]).getRGB()) > 100, "the overall curve is drawn");
    }

    private static int pixelsOf(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                n += (image.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void sampleGridPicksBothLabelsAcrossBodyPartsAndDrawsAPlaceholderForMissingViews(@TempDir Path dir) throws IOException {
        List<Study> studies = new ArrayList<>();
        for (BodyPart part : List.of(BodyPart.ELBOW, BodyPart.HAND)) {
            for (Label label : Label.values()) {
                for (int k = 0; k < 2; k++) {
                    studies.add(new Study(part.folderName() + "/p" + k + "/study1_" + label.folderSuffix(), Split.VALID, part,
                            "p" + k, label, List.of(dir.resolve("missing" + k + ".png"))));
                }
            }
        }
        List<Study> picked = SampleGrid.pick(studies, 3);
        assertEquals(6, picked.size());
        assertEquals(3, picked.stream().filter(s -> s.label() == Label.ABNORMAL).count());
        assertEquals(2, picked.stream().filter(s -> s.label() == Label.NORMAL).map(Study::bodyPart).limit(2).distinct().count());
        decode(SampleGrid.png(picked, "Samples"), SampleGrid.WIDTH, SampleGrid.HEADER + 6 * SampleGrid.ROW);
    }
}
