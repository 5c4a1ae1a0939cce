package org.bonexray.serve;

/**
 * The heatmap method or layer asked for does not fit the model being served (a layer it lacks, CAM off the pooled
 * layer). A setting the user can change, unlike other failures of a model load: {@code serve} reports it as bad
 * usage, and a reload refused for it leaves the old model serving.
 */
public final class HeatmapChoiceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    HeatmapChoiceException(IllegalArgumentException cause) {
        super(cause.getMessage(), cause);
    }
}
