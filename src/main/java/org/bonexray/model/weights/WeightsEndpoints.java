package org.bonexray.model.weights;

import java.net.URI;
import java.util.Map;

/**
 * Where the catalogue's files are downloaded from: the model hub (timm's repositories) and torchvision's file
 * server. {@code BONEXRAY_HUB_ENDPOINT} and {@code BONEXRAY_TORCHVISION_ENDPOINT} point them at a mirror.
 *
 * @param hub the hub's base URL (a folder: it ends with a slash)
 * @param torchvision the folder URL of torchvision's files (ending with a slash)
 */
public record WeightsEndpoints(URI hub, URI torchvision) {
    public static final String HUB_ENV = "BONEXRAY_HUB_ENDPOINT";
    public static final String TORCHVISION_ENV = "BONEXRAY_TORCHVISION_ENDPOINT";
    /** The public endpoints. */
    public static final WeightsEndpoints PUBLIC = new WeightsEndpoints(URI.create("https://huggingface.co/"),
            URI.create("https://download.pytorch.org/models/"));

    public WeightsEndpoints {
        hub = asFolder(hub);
        torchvision = asFolder(torchvision);
    }

    private static URI asFolder(URI uri) {
        return uri.toString().endsWith("/") ? uri : URI.create(uri + "/");
    }

    /** The public endpoints, each replaced by its environment variable when set. */
    public static WeightsEndpoints fromEnvironment(Map<String, String> env) {
        String hub = env.get(HUB_ENV);
        String tv = env.get(TORCHVISION_ENV);
        return new WeightsEndpoints(hub == null || hub.isBlank() ? PUBLIC.hub() : URI.create(hub.strip()),
                tv == null || tv.isBlank() ? PUBLIC.torchvision() : URI.create(tv.strip()));
    }
}
