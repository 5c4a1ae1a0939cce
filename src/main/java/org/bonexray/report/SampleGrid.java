package org.bonexray.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.bonexray.data.BodyPart;
import org.bonexray.data.Label;
import org.bonexray.data.Study;

/**
 * Figure 1: a few normal and abnormal studies, one per row, with their views as thumbnails and their labels,
 * drawn with Java2D. Fixed width {@value #WIDTH} px; height {@value #HEADER} px plus {@value #ROW} px per study.
 */
public final class SampleGrid {
    public static final int WIDTH = 900;
    public static final int HEADER = 36;
    public static final int ROW = 170;
    private static final int THUMB = 150;
    private static final int LABEL_W = 200;
    private static final int MAX_VIEWS = 4;

    private SampleGrid() {
    }

    /**
     * Picks up to {@code perLabel} normal and as many abnormal studies, each from a different body part where
     * possible, in a stable order (sorted by study id).
     */
    public static List<Study> pick(List<Study> studies, int perLabel) {
        List<Study> sorted = studies.stream().sorted(Comparator.comparing(Study::id)).toList();
        List<Study> picked = new ArrayList<>();
        for (Label label : List.of(Label.NORMAL, Label.ABNORMAL)) {
            Set<BodyPart> used = EnumSet.noneOf(BodyPart.class);
            List<Study> ofLabel = sorted.stream().filter(s -> s.label() == label).toList();
            int before = picked.size();
            for (Study s : ofLabel) {
                if (picked.size() - before < perLabel && used.add(s.bodyPart())) {
                    picked.add(s);
                }
            }
            for (Study s : ofLabel) { // fewer body parts than wanted: fill with the next studies
                if (picked.size() - before < perLabel && !picked.contains(s)) {
                    picked.add(s);
                }
            }
        }
        return picked;
    }

    /** Draws the grid as PNG bytes of {@value #WIDTH} x (HEADER + ROW x studies) pixels. */
    public static byte[] png(List<Study> studies, String caption) {
        BufferedImage img = new BufferedImage(WIDTH, HEADER + ROW * Math.max(1, studies.size()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(new Color(0x1d2430));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(caption, 12, 24);
            for (int i = 0; i < studies.size(); i++) {
                drawStudy(g, studies.get(i), HEADER + i * ROW);
            }
        } finally {
            g.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the sample grid", e);
        }
    }

    private static void drawStudy(Graphics2D g, Study s, int top) {
        boolean abnormal = s.label().isAbnormal();
        g.setColor(new Color(0xe3e6eb));
        g.drawLine(0, top, WIDTH, top);
        g.setColor(abnormal ? ChartStyle.ABNORMAL : ChartStyle.NORMAL.darker());
        g.fillRoundRect(12, top + 14, 100, 24, 10, 10);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(abnormal ? "ABNORMAL" : "NORMAL", 20, top + 31);
        g.setColor(new Color(0x1d2430));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(s.bodyPart().displayName(), 12, top + 62);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(0x5a6475));
        g.drawString("patient " + s.patientId(), 12, top + 82);
        g.drawString(s.studyName(), 12, top + 98);
        g.drawString(s.images().size() + (s.images().size() == 1 ? " view" : " views"), 12, top + 114);
        int x = LABEL_W;
        for (Path view : s.images().subList(0, Math.min(MAX_VIEWS, s.images().size()))) {
            x += drawThumb(g, view, x, top + (ROW - THUMB) / 2) + 12;
        }
    }

    /** Draws one view scaled to fit {@value #THUMB} px, or a placeholder when it cannot be read; returns its width. */
    private static int drawThumb(Graphics2D g, Path file, int x, int y) {
        BufferedImage view;
        try {
            view = ImageIO.read(file.toFile());
        } catch (IOException e) {
            view = null;
        }
        g.setColor(Color.BLACK);
        g.fillRect(x, y, THUMB, THUMB);
        if (view == null) {
            g.setColor(Color.LIGHT_GRAY);
            g.drawString("unreadable", x + 40, y + THUMB / 2);
            return THUMB;
        }
        double scale = Math.min((double) THUMB / view.getWidth(), (double) THUMB / view.getHeight());
        int w = (int) Math.round(view.getWidth() * scale);
        int h = (int) Math.round(view.getHeight() * scale);
        g.drawImage(view, x + (THUMB - w) / 2, y + (THUMB - h) / 2, w, h, null);
        return THUMB;
    }
}
