package org.bonexray.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A model loaded from its artifact: one network, or the members of an ensemble, each a DJL model owning its
 * weights; and what the artifact says about preprocessing, threshold, calibration and provenance. The one place
 * that decides "one network or N": inference iterates {@link #members()} and takes the mean of their probabilities,
 * so a single network is the ensemble of one.
 */
public final class LoadedModel implements AutoCloseable {
    private final List<Member> members;
    private final ModelArtifact.Description description;
    private final JsonNode manifest;
    private final Path dir;

    /**
     * One network of the model.
     *
     * @param name its folder relative to the model's ({@code .} for a single network, {@code members/00} ...)
     * @param model the DJL model owning its weights
     * @param net the network
     * @param description its own {@code model.json} (for a member: its spec; the ensemble's description decides
     *     threshold and temperature)
     * @param dir its folder
     */
    public record Member(String name, Model model, AbnormalityNet net, ModelArtifact.Description description, Path dir)
            implements AutoCloseable {
        /** @return the manager owning the weights, parent of the per-batch managers of a pass on this member */
        public NDManager manager() {
            return model.getNDManager();
        }

        @Override
        public void close() {
            model.close();
        }
    }

    LoadedModel(List<Member> members, ModelArtifact.Description description, JsonNode manifest, Path dir) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one network");
        }
        this.members = List.copyOf(members);
        this.description = description;
        this.manifest = manifest;
        this.dir = dir;
    }

    /** @return the networks, in the artifact's order: one for a single model */
    public List<Member> members() {
        return members;
    }

    /** @return whether the artifact is an ensemble (even of one member) */
    public boolean isEnsemble() {
        return description.isEnsemble();
    }

    /**
     * The network of a single model, for what is defined on one network only (exporting weights).
     *
     * @param what what needs one network, for the error
     * @return the network
     * @throws IllegalArgumentException for an ensemble, naming its member folders
     */
    public Member single(String what) {
        if (isEnsemble()) {
            throw new IllegalArgumentException(what + " takes a single network, but " + dir + " is an ensemble of "
                    + members.size() + "; use one of its members: " + members.stream().map(m -> m.dir().toString())
                    .toList());
        }
        return members.get(0);
    }

    /** @return the description that governs predictions: the single network's, or the ensemble's */
    public ModelArtifact.Description description() {
        return description;
    }

    public JsonNode manifest() {
        return manifest;
    }

    /** @return the device the weights live on, where its inputs go and its passes run */
    public Device device() {
        return members.get(0).manager().getDevice();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Member m : members) {
            try {
                m.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
