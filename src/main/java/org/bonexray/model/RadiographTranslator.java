package org.bonexray.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import org.bonexray.data.ChannelsLast;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;

/**
 * The one inference translator (CLI and web service): a decoded radiograph in, the probability that it is
 * abnormal out, with the model's own preprocessing.
 */
public final class RadiographTranslator implements Translator<GrayImage, Double> {
    private final Preprocessing preprocessing;

    public RadiographTranslator(Preprocessing preprocessing) {
        this.preprocessing = preprocessing;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, GrayImage image) {
        int s = preprocessing.size();
        // (H, W, C): the batchifier stacks the images into one channels-last batch, the faster layout here
        return new NDList(ctx.getNDManager().create(ChannelsLast.toHwc(preprocessing.toChw(image), 3), new Shape(s, s, 3)));
    }

    @Override
    public Double processOutput(TranslatorContext ctx, NDList list) {
        return DatasetInference.sigmoid(list.singletonOrThrow().getFloat());
    }

    @Override
    public Batchifier getBatchifier() {
        return new ChannelsLast.StackBatchifier();
    }
}
