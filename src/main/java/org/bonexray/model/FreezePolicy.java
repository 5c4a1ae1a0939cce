package org.bonexray.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which backbone parameters train (the paper's Table 1: freeze none, all, or all but the last N dense blocks).
 *
 * <p>In JSON and on the command line a policy is a string: {@code none}, {@code all}, {@code last1} ..
 * {@code last4}.
 * <ul>
 *   <li>{@code none}: everything trains.</li>
 *   <li>{@code all}: the whole {@code features} block is frozen; only the head trains.</li>
 *   <li>{@code lastN}: denseblock(5-N) .. denseblock4 train, with the transitions between them
 *       (transition(5-N) .. transition3) and norm5. Frozen: conv0, norm0 and every earlier dense block and
 *       transition, including transition(4-N) which feeds the first trainable block. So {@code last1} trains
 *       denseblock4 and norm5; {@code last3} trains denseblock2..4, transition2, transition3 and norm5.</li>
 * </ul>
 * The head always trains. Frozen weights get no gradient, and frozen BatchNorm layers always normalise with
 * their running statistics, which therefore never change (see {@link BatchNormBlock}).
 *
 * @param trainableBlocks -1 for none frozen, 0 for all frozen, 1..4 for the last N dense blocks trainable
 */
public record FreezePolicy(int trainableBlocks) {
    /** Nothing frozen. */
    public static final FreezePolicy NONE = new FreezePolicy(-1);
    /** The whole backbone frozen. */
    public static final FreezePolicy ALL = new FreezePolicy(0);

    /** Validates the count. */
    public FreezePolicy {
        if (trainableBlocks < -1 || trainableBlocks > 4) {
            throw new IllegalArgumentException("trainableBlocks must be -1..4: " + trainableBlocks);
        }
    }

    /**
     * All but the last {@code n} dense blocks frozen.
     *
     * @param n 1..4
     * @return the policy
     */
    public static FreezePolicy lastBlocks(int n) {
        if (n < 1 || n > 4) {
            throw new IllegalArgumentException("last N dense blocks needs N in 1..4: " + n);
        }
        return new FreezePolicy(n);
    }

    /**
     * Parses {@code none}, {@code all} or {@code last1} .. {@code last4} (case-insensitive).
     *
     * @param text the policy's name
     * @return the policy
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static FreezePolicy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("all")) {
            return ALL;
        }
        if (t.matches("last[1-4]")) {
            return lastBlocks(t.charAt(4) - '0');
        }
        throw new IllegalArgumentException("unknown freeze policy '" + text + "': use none, all or last1..last4");
    }

    /** @return the policy's name as {@link #parse} reads it */
    @JsonValue
    @Override
    public String toString() {
        if (trainableBlocks < 0) {
            return "none";
        }
        return trainableBlocks == 0 ? "all" : "last" + trainableBlocks;
    }

    /**
     * Whether a child of {@code features} trains under this policy.
     *
     * @param childName torchvision name, e.g. {@code transition2}
     * @return true if its parameters train
     */
    public boolean trains(String childName) {
        if (trainableBlocks < 0) {
            return true;
        }
        if (trainableBlocks == 0) {
            return false;
        }
        if (childName.equals("norm5")) {
            return true;
        }
        int first = 5 - trainableBlocks;
        if (childName.startsWith("denseblock")) {
            return Integer.parseInt(childName.substring("denseblock".length())) >= first;
        }
        if (childName.startsWith("transition")) {
            return Integer.parseInt(childName.substring("transition".length())) >= first;
        }
        return false;
    }

    /**
     * Freezes and unfreezes the network's parameters (after initialisation or weight loading).
     *
     * @param net the network; its head is made trainable whatever the policy
     */
    public void apply(AbnormalityNet net) {
        for (Pair<String, Block> child : net.features().getChildren()) {
            setTrainable(child.getValue(), trains(ParameterNames.stripPrefix(child.getKey())));
        }
        setTrainable(net.head(), true);
    }

    private static void setTrainable(Block block, boolean trainable) {
        for (Parameter parameter : block.getParameters().values()) {
            Parameter.Type type = parameter.getType();
            // Running statistics never take gradients; unfreezing them would make them trainable weights.
            if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                parameter.freeze(!trainable);
            }
        }
    }
}
