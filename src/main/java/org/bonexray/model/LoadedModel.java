package org.bonexray.model;

import ai.djl.Device;
import ai.djl.Model;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A model loaded from its artifact: the DJL model (owning the weights), the network, and what the artifact
 * says about preprocessing, threshold and provenance.
 */
public final class LoadedModel implements AutoCloseable {
    private final Model model;
    private final AbnormalityNet net;
    private final ModelArtifact.Description description;
    private final JsonNode manifest;
    private final Path dir;

    LoadedModel(Model model, AbnormalityNet net, ModelArtifact.Description description, JsonNode manifest, Path dir) {
        this.model = model;
        this.net = net;
        this.description = description;
        this.manifest = manifest;
        this.dir = dir;
    }

    public Model model() {
        return model;
    }

    public AbnormalityNet net() {
        return net;
    }

    public ModelArtifact.Description description() {
        return description;
    }

    public JsonNode manifest() {
        return manifest;
    }

    /** @return the device the weights live on, where its inputs go and its passes run */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        model.close();
    }
}
