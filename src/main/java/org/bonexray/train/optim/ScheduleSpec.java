package org.bonexray.train.optim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An epoch-level learning-rate schedule, as PyTorch's schedulers stepped once per epoch; fields absent from
 * JSON take their defaults (gamma 0.1, factor 0.1, patience 1, threshold 1e-4, minLr 0, no warm-up).
 *
 * <p>A linear warm-up of {@code warmupEpochs} comes first, as PyTorch's {@code SequentialLR} of a
 * {@code LinearLR} and the main schedule: epoch {@code e < W} runs at {@code base * (e + 1) / (W + 1)}, then the
 * main schedule starts at the base rate as if the run began there; a cosine then anneals over the
 * {@code totalEpochs - W} epochs left, so that it still ends at {@code minLr} when {@code totalEpochs} is the run's
 * length, and a plateau schedule ignores the warm-up's losses.
 *
 * @param kind {@code constant}, {@code step} (StepLR), {@code cosine} (CosineAnnealingLR) or {@code plateau}
 *             (ReduceLROnPlateau, mode min, relative threshold, no cooldown)
 * @param stepEpochs step: epochs between multiplications by {@code gamma}
 * @param gamma step: the multiplier
 * @param totalEpochs cosine: the half period T_max (past it the rate rises again, as in PyTorch)
 * @param minLr cosine: eta_min; plateau: the floor of the rate
 * @param factor plateau: the multiplier on a plateau (0.1 divides by 10, as MURA)
 * @param patience plateau: epochs without improvement tolerated before reducing
 * @param threshold plateau: relative improvement needed, a loss counts as better when {@code < best*(1-t)}
 * @param warmupEpochs epochs of linear warm-up before the main schedule (0 = none)
 */
public record ScheduleSpec(String kind, int stepEpochs, double gamma, int totalEpochs, double minLr,
                           double factor, int patience, double threshold,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) int warmupEpochs) {
    /** The supported kinds. */
    public static final List<String> KINDS = List.of("constant", "step", "cosine", "plateau");

    /** Validates the fields that the kind uses and normalises the kind to lower case. */
    public ScheduleSpec {
        Objects.requireNonNull(kind, "schedule kind");
        kind = kind.trim().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("schedule kind must be one of " + KINDS + ", got '" + kind + "'");
        }
        if (kind.equals("step") && stepEpochs < 1) {
            throw new IllegalArgumentException("step schedule needs stepEpochs >= 1, got " + stepEpochs);
        }
        if (kind.equals("cosine") && totalEpochs < 1) {
            throw new IllegalArgumentException("cosine schedule needs totalEpochs >= 1, got " + totalEpochs);
        }
        if (stepEpochs < 0 || totalEpochs < 0 || patience < 0 || warmupEpochs < 0) {
            throw new IllegalArgumentException("stepEpochs, totalEpochs, patience and warmupEpochs must be >= 0");
        }
        if (kind.equals("cosine") && totalEpochs <= warmupEpochs) {
            throw new IllegalArgumentException("cosine schedule needs totalEpochs (" + totalEpochs
                    + ") beyond its warm-up of " + warmupEpochs + " epochs");
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        }
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("minLr must be finite and >= 0, got " + minLr);
        }
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1), got " + threshold);
        }
    }

    /** Reads a spec from JSON, filling absent fields with the defaults. */
    @JsonCreator
    public static ScheduleSpec fromJson(@JsonProperty("kind") String kind,
                                        @JsonProperty("stepEpochs") Integer stepEpochs,
                                        @JsonProperty("gamma") Double gamma,
                                        @JsonProperty("totalEpochs") Integer totalEpochs,
                                        @JsonProperty("minLr") Double minLr,
                                        @JsonProperty("factor") Double factor,
                                        @JsonProperty("patience") Integer patience,
                                        @JsonProperty("threshold") Double threshold,
                                        @JsonProperty("warmupEpochs") Integer warmupEpochs) {
        return new ScheduleSpec(kind == null ? "constant" : kind, stepEpochs == null ? 0 : stepEpochs,
                gamma == null ? 0.1 : gamma, totalEpochs == null ? 0 : totalEpochs, minLr == null ? 0 : minLr,
                factor == null ? 0.1 : factor, patience == null ? 1 : patience,
                threshold == null ? 1e-4 : threshold, warmupEpochs == null ? 0 : warmupEpochs);
    }

    /** Reads a spec without warm-up from its other fields, filling absent ones with the defaults. */
    public static ScheduleSpec fromJson(String kind, Integer stepEpochs, Double gamma, Integer totalEpochs, Double minLr,
                                        Double factor, Integer patience, Double threshold) {
        return fromJson(kind, stepEpochs, gamma, totalEpochs, minLr, factor, patience, threshold, null);
    }

    /** This schedule after a linear warm-up of {@code epochs} epochs. */
    public ScheduleSpec withWarmup(int epochs) {
        return new ScheduleSpec(kind, stepEpochs, gamma, totalEpochs, minLr, factor, patience, threshold, epochs);
    }

    /** A constant rate. */
    public static ScheduleSpec constant() {
        return fromJson("constant", null, null, null, null, null, null, null);
    }

    /** StepLR: multiply by {@code gamma} every {@code stepEpochs} epochs. */
    public static ScheduleSpec step(int stepEpochs, double gamma) {
        return fromJson("step", stepEpochs, gamma, null, null, null, null, null);
    }

    /** CosineAnnealingLR with T_max {@code totalEpochs} and eta_min {@code minLr}. */
    public static ScheduleSpec cosine(int totalEpochs, double minLr) {
        return fromJson("cosine", null, null, totalEpochs, minLr, null, null, null);
    }

    /** ReduceLROnPlateau on the validation loss. */
    public static ScheduleSpec plateau(double factor, int patience, double minLr, double threshold) {
        return fromJson("plateau", null, null, null, minLr, factor, patience, threshold);
    }

    /** MURA's schedule: divide by 10 when the validation loss stops improving for more than one epoch. */
    public static ScheduleSpec mura() {
        return fromJson("plateau", null, null, null, null, null, null, null);
    }

    /** A fresh schedule starting at {@code baseLr}. */
    public LearningRateSchedule build(double baseLr) {
        return new LearningRateSchedule(this, baseLr);
    }
}
