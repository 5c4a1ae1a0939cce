package org.bonexray.train.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The optimizer of a run, as saved in its configuration and manifest; fields absent from JSON take the
 * defaults of {@link #defaults(String)}.
 *
 * @param kind one of {@link #KINDS}
 * @param learningRate the base learning rate, before any schedule
 * @param weightDecay L2 decay (adam, sgd, rmsprop, adagrad) or decoupled decay (adamw), PyTorch's meaning
 * @param momentum momentum factor (sgd and rmsprop only; 0 for the others)
 * @param nesterov Nesterov momentum (sgd with momentum only)
 * @param beta1 first-moment decay (adam, adamw)
 * @param beta2 second-moment decay (adam, adamw)
 * @param epsilon term added to the denominator (adam, adamw, rmsprop, adagrad)
 */
public record OptimizerSpec(String kind, double learningRate, double weightDecay, double momentum,
                            boolean nesterov, double beta1, double beta2, double epsilon) {
    /** The supported kinds. */
    public static final List<String> KINDS = List.of("adam", "adamw", "sgd", "rmsprop", "adagrad");

    /** Validates every field and normalises the kind to lower case. */
    public OptimizerSpec {
        Objects.requireNonNull(kind, "optimizer kind");
        kind = kind.trim().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("optimizer kind must be one of " + KINDS + ", got '" + kind + "'");
        }
        positive("learningRate", learningRate);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        unitInterval("momentum", momentum);
        unitInterval("beta1", beta1);
        unitInterval("beta2", beta2);
        positive("epsilon", epsilon);
        if (momentum != 0 && !kind.equals("sgd") && !kind.equals("rmsprop")) {
            throw new IllegalArgumentException("momentum applies only to sgd and rmsprop, not " + kind);
        }
        if (nesterov && !(kind.equals("sgd") && momentum > 0)) {
            throw new IllegalArgumentException("nesterov needs kind sgd with momentum > 0");
        }
    }

    /** Reads a spec from JSON, filling absent fields with the defaults of its kind. */
    @JsonCreator
    public static OptimizerSpec fromJson(@JsonProperty("kind") String kind,
                                         @JsonProperty("learningRate") Double learningRate,
                                         @JsonProperty("weightDecay") Double weightDecay,
                                         @JsonProperty("momentum") Double momentum,
                                         @JsonProperty("nesterov") Boolean nesterov,
                                         @JsonProperty("beta1") Double beta1,
                                         @JsonProperty("beta2") Double beta2,
                                         @JsonProperty("epsilon") Double epsilon) {
        OptimizerSpec d = defaults(kind == null ? "adam" : kind);
        return new OptimizerSpec(d.kind, or(learningRate, d.learningRate), or(weightDecay, d.weightDecay),
                or(momentum, d.momentum), nesterov == null ? d.nesterov : nesterov, or(beta1, d.beta1),
                or(beta2, d.beta2), or(epsilon, d.epsilon));
    }

    /**
     * PyTorch's defaults for a kind, with MURA's learning rate 1e-4 for adam and adamw and 1e-2 for the others
     * (PyTorch's, where it has one); adamw decays by 1e-2; adagrad's epsilon is 1e-10, the others' 1e-8.
     */
    public static OptimizerSpec defaults(String kind) {
        String k = Objects.requireNonNull(kind, "optimizer kind").trim().toLowerCase(Locale.ROOT);
        boolean adamLike = k.equals("adam") || k.equals("adamw");
        return new OptimizerSpec(k, adamLike ? 1e-4 : 1e-2, k.equals("adamw") ? 1e-2 : 0, 0, false, 0.9, 0.999,
                k.equals("adagrad") ? 1e-10 : 1e-8);
    }

    /** MURA's optimizer: Adam, learning rate 1e-4, betas 0.9/0.999. */
    public static OptimizerSpec mura() {
        return defaults("adam");
    }

    /** This spec with another learning rate. */
    public OptimizerSpec withLearningRate(double value) {
        return new OptimizerSpec(kind, value, weightDecay, momentum, nesterov, beta1, beta2, epsilon);
    }

    /** Builds the optimizer, taking its learning rate from {@code schedule}. */
    public StatefulOptimizer build(LearningRateSchedule schedule) {
        Objects.requireNonNull(schedule, "schedule");
        return switch (kind) {
            case "adam" -> Adam.builder().optBeta1(beta1).optBeta2(beta2).optEpsilon(epsilon)
                    .optWeightDecay(weightDecay).setLearningRate(schedule).build();
            case "adamw" -> AdamW.builder().optBeta1(beta1).optBeta2(beta2).optEpsilon(epsilon)
                    .optWeightDecay(weightDecay).setLearningRate(schedule).build();
            case "sgd" -> Sgd.builder().optMomentum(momentum).optNesterov(nesterov)
                    .optWeightDecay(weightDecay).setLearningRate(schedule).build();
            case "rmsprop" -> RmsProp.builder().optMomentum(momentum).optEpsilon(epsilon)
                    .optWeightDecay(weightDecay).setLearningRate(schedule).build();
            case "adagrad" -> Adagrad.builder().optEpsilon(epsilon)
                    .optWeightDecay(weightDecay).setLearningRate(schedule).build();
            default -> throw new IllegalStateException("unreachable kind " + kind);
        };
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    static double unitInterval(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
