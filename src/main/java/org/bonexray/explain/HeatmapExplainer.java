package org.bonexray.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bonexray.data.InputBatches;
import org.bonexray.data.image.GrayImage;
import org.bonexray.data.image.Preprocessing;
import org.bonexray.model.AbnormalityNet;
import org.bonexray.model.LoadedModel;
import org.bonexray.predict.DatasetInference;
import org.bonexray.runtime.ForwardPass;

/**
 * Computes class activation maps of the abnormality logit, on the last dense block's output or, for Grad-CAM,
 * on an inner dense block's output.
 *
 * <p>A are the maps relu(norm5) (N = 1, C, h, w) that the network pools. CAM (Zhou et al. 2016) is
 * {@code sum_c w_c A_c} with {@code w} the weights of the head's single Linear; it exists only for such a
 * head and only on those maps. Grad-CAM (Selvaraju et al. 2017) is {@code relu(sum_c alpha_c A_c)} with
 * {@code alpha_c} the spatial mean of {@code d logit / d A_c}; for a pooled linear head it equals
 * {@code relu(CAM) / (h * w)}. Grad-CAM is defined for any layer: on {@code denseblock3} A is that block's
 * output, twice as fine as norm5's (a 7x7 map at 224 px becomes 14x14), at the price of features that are less
 * specific to the class. LayerCAM (Jiang et al. 2021) is {@code relu(sum_c max(0, g_c) * A_c)} position by position
 * with {@code g} the gradient itself rather than its channel mean, which keeps the finer detail of early blocks.
 *
 * <p>Stateless and usable from several threads; Grad-CAM calls are serialised because the PyTorch engine
 * allows one gradient collector at a time.
 */
public final class HeatmapExplainer {
    /** The features child whose output the default maps are computed on. */
    public static final String LAST_LAYER = "norm5";
    private static final Object GRADIENT_LOCK = new Object();

    private final String layer;

    /** An explainer on the last layer (norm5), where CAM and Grad-CAM are both defined. */
    public HeatmapExplainer() {
        this(LAST_LAYER);
    }

    /**
     * An explainer on a named layer of the DenseNet features.
     *
     * @param layer {@code norm5} (the default) or an inner child such as {@code denseblock3}
     */
    public HeatmapExplainer(String layer) {
        this.layer = layer == null || layer.isBlank() ? LAST_LAYER : layer.trim();
    }

    /** The features child the maps are computed on. */
    public String layer() {
        return layer;
    }

    private boolean onLastLayer() {
        return LAST_LAYER.equals(layer);
    }

    /** How a map is computed. */
    public enum Method {
        /** Class activation map: needs a head that is a single linear layer. */
        CAM,
        /** Gradient-weighted class activation map: any head. */
        GRAD_CAM,
        /**
         * LayerCAM (Jiang et al. 2021): each position weighted by its own positive gradient rather than the
         * channel's mean, which keeps inner layers' finer detail; any head.
         */
        LAYER_CAM,
        /** CAM when the head allows it, Grad-CAM otherwise. */
        AUTO;

        /**
         * Parses {@code cam}, {@code gradcam} / {@code grad-cam} / {@code grad_cam}, {@code layercam} or
         * {@code auto}.
         *
         * @param text the name, any case
         * @return the method
         */
        public static Method parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            return switch (t) {
                case "cam" -> CAM;
                case "gradcam" -> GRAD_CAM;
                case "layercam" -> LAYER_CAM;
                case "auto" -> AUTO;
                default -> throw new IllegalArgumentException("unknown method '" + text + "': expected auto, cam, gradcam or layercam");
            };
        }
    }

    /**
     * Whether CAM is defined for a network: its head must be one Linear on the pooled features.
     *
     * @param net the network
     * @return true when the head has no hidden layer
     */
    public static boolean camAvailable(AbnormalityNet net) {
        return net.head().spec().hiddenWidths().isEmpty();
    }

    /**
     * The concrete method {@code method} stands for on {@code net} at this explainer's layer, after checking
     * that the layer exists.
     *
     * @param net the network
     * @param method the requested method
     * @return the method to run: AUTO becomes CAM or GRAD_CAM, the others stay
     * @throws IllegalArgumentException when the layer is not a features child, or CAM is asked for a head with
     *     hidden layers or for an inner layer
     */
    public Method resolve(AbnormalityNet net, Method method) {
        if (!net.features().childNames().contains(layer)) {
            throw new IllegalArgumentException("no layer '" + layer + "' in this model's features; choose one of "
                    + net.features().childNames());
        }
        if (method == Method.AUTO) {
            return onLastLayer() && camAvailable(net) ? Method.CAM : Method.GRAD_CAM;
        }
        if (method == Method.CAM && !onLastLayer()) {
            throw new IllegalArgumentException("CAM is defined on the pooled maps (" + LAST_LAYER + ") only, not on "
                    + layer + "; use Grad-CAM (gradcam) or auto");
        }
        if (method == Method.CAM && !camAvailable(net)) {
            throw new IllegalArgumentException("CAM needs a head that is a single linear layer, but this model's head "
                    + "has hidden layers " + net.head().spec().hiddenWidths() + "; use Grad-CAM (gradcam) or auto");
        }
        return method;
    }

    /**
     * The method {@code method} stands for on every network of a model: an ensemble's members must all allow it,
     * and AUTO is CAM only when CAM is defined on each of them.
     *
     * @param model the loaded model
     * @param method the requested method
     * @return the method to run on each member
     * @throws IllegalArgumentException as {@link #resolve(AbnormalityNet, Method)}, naming the member of an ensemble
     */
    public Method resolve(LoadedModel model, Method method) {
        EnumSet<Method> resolved = EnumSet.noneOf(Method.class);
        for (LoadedModel.Member member : model.members()) {
            try {
                resolved.add(resolve(member.net(), method));
            } catch (IllegalArgumentException e) {
                throw model.isEnsemble() ? new IllegalArgumentException("member " + member.name() + ": "
                        + e.getMessage(), e) : e;
            }
        }
        return resolved.size() == 1 ? resolved.iterator().next() : Method.GRAD_CAM; // CAM on some, Grad-CAM on others
    }

    /**
     * The heatmap of one radiograph: for an ensemble, the mean of its members' maps ({@link Heatmap#mean}).
     *
     * @param model a loaded model
     * @param image the decoded radiograph, any size
     * @param method CAM, GRAD_CAM or AUTO
     * @return the heatmap, with the model's probability
     */
    public Heatmap explain(LoadedModel model, GrayImage image, Method method) {
        Method resolved = resolve(model, method);
        List<Heatmap> maps = new ArrayList<>();
        for (LoadedModel.Member member : model.members()) {
            maps.add(explain(member.net(), member.manager(), model.description().preprocessing(), image, resolved));
        }
        return Heatmap.mean(maps);
    }

    /**
     * The heatmap of one radiograph from a network that need not be saved.
     *
     * @param net an initialised network
     * @param manager a manager on the network's device; a sub-manager of it holds every array of the call
     * @param preprocessing how the image becomes the input
     * @param image the radiograph
     * @param method CAM, GRAD_CAM or AUTO
     * @return the heatmap
     */
    public Heatmap explain(AbnormalityNet net, NDManager manager, Preprocessing preprocessing, GrayImage image,
                           Method method) {
        return explainAll(net, manager, preprocessing, image, EnumSet.of(method)).get(0);
    }

    /**
     * Several methods' heatmaps from one backbone pass (for benchmarks and side-by-side views).
     *
     * @param net an initialised network
     * @param manager a manager on the network's device
     * @param preprocessing how the image becomes the input
     * @param image the radiograph
     * @param methods the methods (AUTO resolves as in {@link #resolve})
     * @return one heatmap per distinct resolved method, CAM first
     */
    public List<Heatmap> explainAll(AbnormalityNet net, NDManager manager, Preprocessing preprocessing,
                                    GrayImage image, Set<Method> methods) {
        EnumSet<Method> wanted = EnumSet.noneOf(Method.class);
        methods.forEach(m -> wanted.add(resolve(net, m)));
        try (NDManager sub = manager.newSubManager()) {
            NDArray input = InputBatches.of(sub, preprocessing, List.of(image));
            return maps(net, sub, input, wanted, List.of(InputGeometry.of(preprocessing, image.width(), image.height())))
                    .get(0);
        }
    }

    /**
     * Several methods' heatmaps of one radiograph from a loaded model: for an ensemble, per method the mean of its
     * members' maps ({@link Heatmap#mean}).
     *
     * @param model the loaded model
     * @param image the radiograph
     * @param methods the methods (AUTO resolves as in {@link #resolve(LoadedModel, Method)})
     * @return one heatmap per distinct resolved method, CAM first
     */
    public List<Heatmap> explainAll(LoadedModel model, GrayImage image, Set<Method> methods) {
        EnumSet<Method> wanted = EnumSet.noneOf(Method.class);
        methods.forEach(m -> wanted.add(resolve(model, m)));
        List<List<Heatmap>> byMember = new ArrayList<>();
        for (LoadedModel.Member member : model.members()) {
            byMember.add(explainAll(member.net(), member.manager(), model.description().preprocessing(), image, wanted));
        }
        List<Heatmap> out = new ArrayList<>();
        for (int k = 0; k < byMember.get(0).size(); k++) {
            int method = k;
            out.add(Heatmap.mean(byMember.stream().map(maps -> maps.get(method)).toList()));
        }
        return out;
    }

    /**
     * The heatmaps of a batch of radiographs from one pass through the network (and, for the gradient methods, one
     * backward): image by image the same maps as {@link #explain}, since in inference mode no image of a batch
     * affects another's.
     *
     * @param model a loaded model
     * @param images the decoded radiographs, any sizes
     * @param nchw the images as the model's preprocessing writes them ({@link Preprocessing#toChw}), in order
     * @param method CAM, GRAD_CAM, LAYER_CAM or AUTO
     * @return one heatmap per image, in order
     */
    public List<Heatmap> explainBatch(LoadedModel model, List<GrayImage> images, float[] nchw, Method method) {
        Preprocessing preprocessing = model.description().preprocessing();
        EnumSet<Method> wanted = EnumSet.of(resolve(model, method));
        List<InputGeometry> geometries = images.stream()
                .map(i -> InputGeometry.of(preprocessing, i.width(), i.height())).toList();
        List<List<Heatmap>> byMember = new ArrayList<>();
        for (LoadedModel.Member member : model.members()) {
            try (NDManager sub = member.manager().newSubManager()) {
                NDArray input = InputBatches.fromPixels(sub, nchw, images.size(), preprocessing.size());
                byMember.add(maps(member.net(), sub, input, wanted, geometries).stream().map(m -> m.get(0)).toList());
            }
        }
        List<Heatmap> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            int image = i;
            out.add(Heatmap.mean(byMember.stream().map(maps -> maps.get(image)).toList()));
        }
        return out;
    }

    /** Every wanted map of every image of the input batch: per image, one heatmap per method, CAM first. */
    private List<List<Heatmap>> maps(AbnormalityNet net, NDManager sub, NDArray input, Set<Method> wanted,
                                     List<InputGeometry> geometries) {
        ParameterStore ps = new ParameterStore(sub, false);
        // Forward passes record nothing (on a request thread grad mode is on); the gradient methods open their
        // own collector on a leaf copy of the maps.
        return ForwardPass.withoutGradients(() -> onLastLayer() ? lastLayerMaps(net, ps, input, wanted, geometries)
                : innerLayerMaps(net, ps, input, wanted, geometries));
    }

    private List<List<Heatmap>> lastLayerMaps(AbnormalityNet net, ParameterStore ps, NDArray input,
                                              Set<Method> wanted, List<InputGeometry> geometries) {
        NDArray norm5 = net.forwardFeatures(ps, input, false);
        float[] logits = net.forwardFromFeatures(ps, norm5, false).toFloatArray();
        NDArray maps = Activation.relu(norm5);
        List<FeatureMaps> a = FeatureMaps.ofBatch(maps);
        boolean gradients = wanted.contains(Method.GRAD_CAM) || wanted.contains(Method.LAYER_CAM);
        float[][] gradient = gradients ? FeatureMaps.split(lastLayerGradient(net, ps, maps), a.size()) : null;
        float[] weights = wanted.contains(Method.CAM) ? linearWeights(net) : null;
        List<List<Heatmap>> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            double probability = DatasetInference.sigmoid(logits[i]);
            FeatureMaps m = a.get(i);
            List<Heatmap> image = new ArrayList<>();
            if (weights != null) {
                image.add(Heatmap.fromGrid(Method.CAM, probability, m.weightedSum(weights), m.width(), m.height(),
                        geometries.get(i)));
            }
            if (gradients) {
                image.addAll(gradientMaps(m, gradient[i], probability, wanted, geometries.get(i)));
            }
            out.add(image);
        }
        return out;
    }

    /** Gradient maps of an inner layer: the network runs to the layer, then on from a leaf copy of its output. */
    private List<List<Heatmap>> innerLayerMaps(AbnormalityNet net, ParameterStore ps, NDArray input,
                                               Set<Method> wanted, List<InputGeometry> geometries) {
        NDArray inner = net.features().forwardSpan(ps, new NDList(input), false, null, layer).singletonOrThrow();
        List<FeatureMaps> a = FeatureMaps.ofBatch(inner);
        float[] logits;
        float[][] gradient;
        synchronized (GRADIENT_LOCK) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = inner.duplicate();
                leaf.setRequiresGradient(true);
                NDArray norm5 = net.features().forwardSpan(ps, new NDList(leaf), false, nextLayer(net), null)
                        .singletonOrThrow();
                NDArray logit = net.forwardFromFeatures(ps, norm5, false);
                logits = logit.toFloatArray();
                collector.backward(logit.sum());
                gradient = FeatureMaps.split(leaf.getGradient().toFloatArray(), a.size());
            }
        }
        List<List<Heatmap>> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(gradientMaps(a.get(i), gradient[i], DatasetInference.sigmoid(logits[i]), wanted, geometries.get(i)));
        }
        return out;
    }

    private String nextLayer(AbnormalityNet net) {
        List<String> names = net.features().childNames();
        return names.get(names.indexOf(layer) + 1);
    }

    /** Grad-CAM and / or LayerCAM from the maps and d logit / d maps, in that order. */
    private static List<Heatmap> gradientMaps(FeatureMaps a, float[] gradient, double probability, Set<Method> wanted,
                                              InputGeometry geometry) {
        List<Heatmap> out = new ArrayList<>();
        if (wanted.contains(Method.GRAD_CAM)) {
            out.add(Heatmap.fromGrid(Method.GRAD_CAM, probability, relu(a.weightedSum(a.spatialMeans(gradient))),
                    a.width(), a.height(), geometry));
        }
        if (wanted.contains(Method.LAYER_CAM)) {
            out.add(Heatmap.fromGrid(Method.LAYER_CAM, probability, relu(a.positiveGradientWeightedSum(gradient)),
                    a.width(), a.height(), geometry));
        }
        return out;
    }

    private static float[] relu(float[] map) {
        for (int i = 0; i < map.length; i++) {
            map[i] = Math.max(0f, map[i]);
        }
        return map;
    }

    /** The weights of the head's output Linear, one per feature channel. */
    static float[] linearWeights(AbnormalityNet net) {
        return net.head().outputLayer().getParameters().get("weight").getArray().toFloatArray();
    }

    /**
     * d logit / d A for A = relu(norm5). The pool and head run on a copy of A made a leaf; the network's own
     * ReLU is skipped because its backward zeroes the gradient wherever A is 0, which would break Grad-CAM's
     * defining equality with CAM (the forward value is the same, relu being idempotent).
     */
    private static float[] lastLayerGradient(AbnormalityNet net, ParameterStore ps, NDArray maps) {
        synchronized (GRADIENT_LOCK) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = maps.duplicate();
                leaf.setRequiresGradient(true);
                NDList pooled = net.child("pool").orElseThrow().forward(ps, new NDList(leaf), false);
                NDArray logit = net.head().forward(ps, pooled, false).singletonOrThrow();
                collector.backward(logit.sum());
                return leaf.getGradient().toFloatArray();
            }
        }
    }

}
