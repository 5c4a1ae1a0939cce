package org.bonexray.data.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Test-time augmentation: the fixed views of each input whose predictions are averaged at inference. Each view is
 * a deterministic {@link RandomAugmentation.Draw} of the preprocessed square, the kind of change training
 * augmentation taught the model to ignore: a left-right mirror, and rotations by {@link #ROTATION_DEGREES} either
 * way (MURA's baseline trains with rotations up to 30 degrees).
 */
public enum TestTimeAugmentation {
    /** The input alone. */
    NONE("none"),
    /** The input and its mirror image. */
    FLIP("flip"),
    /** The input and its mirror image, each also rotated by plus and minus {@link #ROTATION_DEGREES}: six views. */
    FLIP_ROTATE("flip+rotate");

    /** The rotation of {@link #FLIP_ROTATE}'s rotated views. */
    public static final double ROTATION_DEGREES = 10;

    private final String label;

    TestTimeAugmentation(String label) {
        this.label = label;
    }

    /** The name used on the command line and in model.json / metrics.json. */
    @JsonValue
    public String label() {
        return label;
    }

    /**
     * @param text {@code none}, {@code flip} or {@code flip+rotate}, any case; null means none
     * @return the setting
     */
    @JsonCreator
    public static TestTimeAugmentation parse(String text) {
        String t = text == null ? "none" : text.strip().toLowerCase(Locale.ROOT);
        for (TestTimeAugmentation a : values()) {
            if (a.label.equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown test-time augmentation '" + text + "': expected none, flip or flip+rotate");
    }

    /** The views, the unchanged input first. */
    public List<RandomAugmentation.Draw> views() {
        RandomAugmentation.Draw identity = new RandomAugmentation.Draw(false, 0, 1, 1, 1);
        RandomAugmentation.Draw mirror = new RandomAugmentation.Draw(true, 0, 1, 1, 1);
        if (this == NONE) {
            return List.of(identity);
        }
        if (this == FLIP) {
            return List.of(identity, mirror);
        }
        return List.of(identity, mirror, rotated(false, ROTATION_DEGREES), rotated(false, -ROTATION_DEGREES),
                rotated(true, ROTATION_DEGREES), rotated(true, -ROTATION_DEGREES));
    }

    private static RandomAugmentation.Draw rotated(boolean flip, double degrees) {
        return new RandomAugmentation.Draw(flip, degrees, 1, 1, 1);
    }

    /**
     * A view of a batch of network inputs (image by image, channel by channel, as {@link Preprocessing#toChw} writes
     * them). A pure mirror moves the values as they are; a rotation works on each channel's values less the
     * normalisation's shift, so that the black it brings in at the corners is the black of preprocessing.
     *
     * @param view the view
     * @param nchw the batch
     * @param count images in the batch
     * @param preprocessing the batch's preprocessing
     * @return the transformed batch (the input itself for the identity view)
     */
    public static float[] transform(RandomAugmentation.Draw view, float[] nchw, int count, Preprocessing preprocessing) {
        boolean identity = !view.flip() && view.rotationDegrees() == 0 && view.zoom() == 1;
        if (identity) {
            return nchw;
        }
        boolean mirrorOnly = view.rotationDegrees() == 0 && view.zoom() == 1;
        int size = preprocessing.size();
        int plane = size * size;
        float[] out = new float[nchw.length];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < Preprocessing.CHANNELS; c++) {
                int base = (i * Preprocessing.CHANNELS + c) * plane;
                float shift = mirrorOnly ? 0f : preprocessing.normalization().shift(c);
                float[] values = new float[plane];
                for (int k = 0; k < plane; k++) {
                    values[k] = nchw[base + k] - shift;
                }
                float[] moved = view.applyTo(new GrayImage(size, size, values)).pixels();
                for (int k = 0; k < plane; k++) {
                    out[base + k] = moved[k] + shift;
                }
            }
        }
        return out;
    }
}
