package org.bonexray.model.weights.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bonexray.data.image.Normalization;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.HeadSpec;
import org.bonexray.model.ModelArtifact;
import org.bonexray.model.ModelSpec;

/**
 * {@code bonexray-export.json}: everything PyTorch needs besides the weights to rebuild and feed the model, in
 * torchvision's terms, plus bonexray's own description so the export can come back.
 *
 * @param format always {@value #FORMAT}
 * @param version layout version
 * @param architecture torchvision {@code DenseNet(...)} arguments
 * @param head the modules of the {@code torch.nn.Sequential} that replaces {@code classifier}, in order
 * @param input how a radiograph becomes the input tensor
 * @param output what the network's output means
 * @param threshold study decision threshold on the probability
 * @param studyRule how views combine into a study
 * @param bonexray bonexray's model description (spec, preprocessing, threshold), to read the export back
 */
public record ExportDescription(String format, int version, Map<String, Object> architecture,
                                List<Map<String, Object>> head, Map<String, Object> input, Map<String, Object> output,
                                double threshold, @JsonProperty("study_rule") String studyRule,
                                ModelArtifact.Description bonexray) {
    public static final String FORMAT = "bonexray-export";
    public static final String FILE = "bonexray-export.json";

    /** The description of a saved model. */
    static ExportDescription of(ModelArtifact.Description model) {
        ModelSpec spec = model.spec();
        return new ExportDescription(FORMAT, 1, architecture(spec.variant()), head(spec), input(model.preprocessing()),
                Map.of("logits", 1, "probability", "sigmoid(logit) is the probability that the view is abnormal"),
                model.threshold(), "study probability = mean of its views' probabilities; abnormal when above the"
                        + " threshold", model);
    }

    private static Map<String, Object> architecture(DenseNetVariant v) {
        return Map.of("torchvision_class", "torchvision.models.DenseNet", "name", v.name(), "growth_rate", v.growthRate(),
                "block_config", v.blockConfig(), "num_init_features", v.numInitFeatures(), "bn_size", v.bnSize(),
                "num_features", v.numFeatures());
    }

    /** Linear, then BatchNorm1d (if any), ReLU, Dropout (if any) per hidden layer; then the one-logit Linear. */
    private static List<Map<String, Object>> head(ModelSpec spec) {
        HeadSpec h = spec.head();
        List<Map<String, Object>> layers = new ArrayList<>();
        int in = spec.variant().numFeatures();
        for (int width : h.hiddenWidths()) {
            layers.add(Map.of("type", "Linear", "in", in, "out", width));
            if (h.batchNorm()) {
                layers.add(Map.of("type", "BatchNorm1d", "features", width, "eps", 1e-5));
            }
            layers.add(Map.of("type", "ReLU"));
            if (h.dropout() > 0) {
                layers.add(Map.of("type", "Dropout", "p", h.dropout()));
            }
            in = width;
        }
        layers.add(Map.of("type", "Linear", "in", in, "out", 1));
        return layers;
    }

    /** Mean and std per channel on [0, 1] pixels: x * scale + shift = (x - mean) / std. */
    private static Map<String, Object> input(Preprocessing p) {
        Normalization n = p.normalization();
        List<Double> mean = new ArrayList<>();
        List<Double> std = new ArrayList<>();
        for (int c = 0; c < Preprocessing.CHANNELS; c++) {
            std.add(1.0 / n.scale(c));
            mean.add(-(double) n.shift(c) / n.scale(c));
        }
        return Map.of("channels", "3 identical copies of the grey radiograph", "size", p.size(),
                "resize", p.resize().name().toLowerCase(java.util.Locale.ROOT) + " to size x size, antialiased bilinear,"
                        + " rounded to 8 bits", "pixels", "luminance scaled to [0, 1]",
                "normalization", n.name(), "mean", mean, "std", std);
    }
}
