package org.bonexray.data.image;

/**
 * How luminance in [0, 1] becomes network input, per channel: {@code x * scale(c) + shift(c)}.
 *
 * <p>Written as one multiply-add so that the conversion loop stays a plain float loop.
 */
public enum Normalization {
    /** {@code x * 2 - 1}, all three channels alike: the reproduced paper's scaling to [-1, 1]. */
    MINUS_ONE_TO_ONE(new float[] {2f, 2f, 2f}, new float[] {-1f, -1f, -1f}),
    /**
     * ImageNet statistics, {@code (x - mean[c]) / std[c]} with mean 0.485, 0.456, 0.406 and std 0.229, 0.224,
     * 0.225: what ImageNet-pretrained weights (and MURA's own baseline) expect.
     */
    IMAGENET(new float[] {1f / 0.229f, 1f / 0.224f, 1f / 0.225f},
            new float[] {-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f}),
    /**
     * torchxrayvision's scale, {@code x * 2048 - 1024} (mean 0.5, std 1/2048 on [0, 1] luminance, i.e. [-1024, 1024]):
     * what its chest X-ray DenseNets expect.
     */
    XRAY(new float[] {2048f, 2048f, 2048f}, new float[] {-1024f, -1024f, -1024f});

    private final float[] scale;
    private final float[] shift;

    Normalization(float[] scale, float[] shift) {
        this.scale = scale;
        this.shift = shift;
    }

    /** The factor applied to channel {@code c} (0 = red, 1 = green, 2 = blue). */
    public float scale(int channel) {
        return scale[channel];
    }

    /** The offset added to channel {@code c} after scaling. */
    public float shift(int channel) {
        return shift[channel];
    }

    /** The normalised value of luminance {@code x} in channel {@code c}. */
    public float apply(float x, int channel) {
        return x * scale[channel] + shift[channel];
    }
}
