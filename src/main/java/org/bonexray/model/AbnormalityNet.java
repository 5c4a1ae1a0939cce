package org.bonexray.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * bonexray's classifier: DenseNet features, ReLU, global average pool, head giving one logit per image.
 *
 * <p>Children: {@code features} (torchvision's, see {@link DenseNet#features}), {@code relu}, {@code pool},
 * {@code head} ({@link HeadBlock}). Input (N, 3, H, W), output (N, 1) logits; the abnormality probability
 * is their sigmoid. For class activation maps the two halves run apart: {@link #forwardFeatures} gives
 * norm5's maps (N, C, h, w) and {@link #forwardFromFeatures} applies ReLU, pool and head to given maps.
 */
public final class AbnormalityNet extends NamedSequentialBlock {
    private final ModelSpec spec;
    private final NamedSequentialBlock features;
    private final HeadBlock head;

    private AbnormalityNet(ModelSpec spec) {
        this.spec = spec;
        features = DenseNet.features(spec.variant());
        head = new HeadBlock(spec.head());
        add("features", features);
        add("relu", Activation.reluBlock());
        add("pool", Pool.globalAvgPool2dBlock());
        add("head", head);
    }

    /**
     * The uninitialised network of a spec.
     *
     * @param spec what to build
     * @return the network
     */
    public static AbnormalityNet build(ModelSpec spec) {
        return new AbnormalityNet(spec);
    }

    /**
     * Builds the network of a spec and initialises all of it, seeded, so the same spec gives the same weights.
     *
     * <p>Convolution and Linear weights follow {@link ModelSpec#init()} (HE reproduces torchvision's
     * kaiming-normal convolutions), biases start at 0, BatchNorm at weight 1 and bias 0 with running mean 0
     * and variance 1. Pretrained backbone weights, if any, are loaded over this afterwards.
     *
     * @param manager owns the parameters (keep it open as long as the network is used)
     * @param spec what to build
     * @return the initialised network
     */
    public static AbnormalityNet initialize(NDManager manager, ModelSpec spec) {
        AbnormalityNet net = build(spec);
        net.initializeWeights(manager);
        return net;
    }

    /**
     * Initialises this network's parameters as {@link #initialize(NDManager, ModelSpec)} describes.
     *
     * @param manager owns the parameters
     */
    public void initializeWeights(NDManager manager) {
        // DJL seeds with an int; hashCode folds the high bits in rather than dropping them.
        Engine.getInstance().setRandomSeed(Long.hashCode(spec.seed()));
        setInitializer(spec.init().weightInitializer(), Parameter.Type.WEIGHT);
        setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        initialize(manager, DataType.FLOAT32, new Shape(1, 3, spec.inputSize(), spec.inputSize()));
    }

    /** @return the spec this network was built from */
    public ModelSpec spec() {
        return spec;
    }

    /** @return torchvision's {@code features} block */
    public NamedSequentialBlock features() {
        return features;
    }

    /** @return the head */
    public HeadBlock head() {
        return head;
    }

    /**
     * The whole network cut into about {@code count} segments of similar activation memory, for recomputation
     * during backward. Every dense layer hands one array (its input and new features, concatenated) to the next, so
     * the network is a chain of about 90 blocks (stem layers, dense layers, transitions, norm5, ReLU, pool, head)
     * and can be cut between any two; a cut keeps that array. Each block's weight in the split is the size of its
     * input and output, a proxy for what autograd keeps of it (Chen et al. 2016, "Training deep nets with sublinear
     * memory cost", cut the same way). Running the segments in order is {@link #forward}.
     *
     * @param count segments wanted, at least 1
     * @return the segments, first to last
     */
    public List<NetworkSegment> segments(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("need at least one segment: " + count);
        }
        List<Link> chain = flatChain();
        long[] outputs = new long[chain.size()];
        long[] cost = activationCosts(chain, outputs);
        long total = Arrays.stream(cost).sum();
        List<NetworkSegment> segments = new ArrayList<>();
        int first = 0;
        long accumulated = 0;
        for (int i = 0; i < chain.size(); i++) {
            accumulated += cost[i];
            // Never cut just before a block that shrinks its input (a pool, a transition): cut after it instead,
            // where a quarter as much crosses.
            boolean cheapCut = i + 1 < chain.size() && outputs[i] <= outputs[i + 1];
            boolean full = accumulated * count >= total && cheapCut && segments.size() < count - 1;
            if (full || i == chain.size() - 1) {
                segments.add(segment(chain.subList(first, i + 1)));
                first = i + 1;
                accumulated = 0;
            }
        }
        return segments;
    }

    /**
     * A proxy for the activation memory a training step keeps per image: the elements entering and leaving every
     * block of the chain (see {@link #segments}). Autograd keeps about 1.7 times this many (measured on
     * DenseNet-169 at batch 64; see {@code train.Recompute}).
     *
     * @return elements per image
     */
    public long activationElementsPerImage() {
        List<Link> chain = flatChain();
        return Arrays.stream(activationCosts(chain, new long[chain.size()])).sum();
    }

    /** Each block's input plus output elements per image; {@code outputs} receives the output elements. */
    private long[] activationCosts(List<Link> chain, long[] outputs) {
        long[] cost = new long[chain.size()];
        Shape[] shapes = {new Shape(1, 3, spec.inputSize(), spec.inputSize())};
        for (int i = 0; i < chain.size(); i++) {
            Shape[] out = chain.get(i).block().getOutputShapes(shapes);
            outputs[i] = out[0].size();
            cost[i] = shapes[0].size() + outputs[i];
            shapes = out;
        }
        return cost;
    }

    /**
     * One link of the chain: a block, or one dense layer of {@code owner} (its {@code layer}-th, 0-based).
     *
     * @param name torchvision path, e.g. {@code denseblock2.denselayer5}
     * @param block the block or dense layer
     * @param owner the dense block the layer belongs to, or null
     * @param layer the layer's index in its block, or -1
     */
    private record Link(String name, Block block, DenseBlock owner, int layer) {
    }

    /** The network as one chain: dense blocks opened into their layers, named by torchvision path. */
    private List<Link> flatChain() {
        List<Link> chain = new ArrayList<>();
        for (Pair<String, Block> child : features.getChildren()) {
            String name = ParameterNames.stripPrefix(child.getKey());
            if (child.getValue() instanceof DenseBlock block) {
                List<DenseLayer> layers = block.denseLayers();
                for (int i = 0; i < layers.size(); i++) {
                    chain.add(new Link(name + ".denselayer" + (i + 1), layers.get(i), block, i));
                }
            } else {
                chain.add(new Link(name, child.getValue(), null, -1));
            }
        }
        for (Pair<String, Block> child : getChildren()) {
            if (child.getValue() != features) {
                chain.add(new Link(ParameterNames.stripPrefix(child.getKey()), child.getValue(), null, -1));
            }
        }
        return chain;
    }

    /** A segment of links, each run of one dense block's layers joined into one {@link DenseLayerRun}. */
    private static NetworkSegment segment(List<Link> links) {
        List<Pair<String, Block>> blocks = new ArrayList<>();
        int i = 0;
        while (i < links.size()) {
            Link link = links.get(i);
            int end = i + 1;
            if (link.owner() == null) {
                blocks.add(new Pair<>(link.name(), link.block()));
            } else {
                while (end < links.size() && links.get(end).owner() == link.owner()) {
                    end++;
                }
                int from = link.layer();
                int to = links.get(end - 1).layer() + 1;
                DenseBlock owner = link.owner();
                Block run = from == 0 && to == owner.layers() ? owner : owner.range(from, to);
                blocks.add(new Pair<>(link.name() + ".." + (to - from) + "layers", run));
            }
            i = end;
        }
        return new NetworkSegment(links.get(0).name() + ".." + links.get(links.size() - 1).name(), blocks);
    }

    /**
     * Runs the DenseNet features only.
     *
     * @param ps parameter store
     * @param images (N, 3, H, W)
     * @param training whether batch norm uses batch statistics (frozen layers never do)
     * @return norm5's output (N, C, H/32, W/32), before the ReLU
     */
    public NDArray forwardFeatures(ParameterStore ps, NDArray images, boolean training) {
        return features.forward(ps, new NDList(images), training).singletonOrThrow();
    }

    /**
     * Applies ReLU, global average pooling and the head to feature maps.
     *
     * @param ps parameter store
     * @param featureMaps (N, C, h, w) as from {@link #forwardFeatures}
     * @param training whether dropout and batch norm act as in training
     * @return logits (N, 1)
     */
    public NDArray forwardFromFeatures(ParameterStore ps, NDArray featureMaps, boolean training) {
        NDList current = new NDList(featureMaps);
        current = child("relu").orElseThrow().forward(ps, current, training);
        current = child("pool").orElseThrow().forward(ps, current, training);
        return head.forward(ps, current, training).singletonOrThrow();
    }
}
