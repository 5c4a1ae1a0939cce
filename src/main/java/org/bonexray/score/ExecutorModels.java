package org.bonexray.score;

import ai.djl.Device;
import java.util.HashMap;
import java.util.Map;
import org.bonexray.model.LoadedModel;
import org.bonexray.model.ModelArtifact;

/**
 * The models an executor JVM has loaded: each at most once, on first use by a part, shared by the parts that run at
 * the same time (each with a predictor of its own, closed when its part ends), and closed when the job ends in an
 * embedded run or when the JVM exits on a cluster. A DenseNet-169 costs hundreds of megabytes; one per task would
 * multiply that by the executor's cores.
 */
final class ExecutorModels {
    private static final Map<String, LoadedModel> LOADED = new HashMap<>();
    private static boolean hookInstalled;

    private ExecutorModels() {
    }

    /** The model from {@code source} on {@code device}, loaded on first use. */
    static synchronized LoadedModel get(ModelSource source, String deviceType, int deviceId) {
        String key = source.location() + "@" + deviceType + deviceId;
        LoadedModel model = LOADED.get(key);
        if (model == null) {
            model = ModelArtifact.load(source.localFolder(), Device.of(deviceType, deviceId));
            LOADED.put(key, model);
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "bonexray-close-models"));
                hookInstalled = true;
            }
        }
        return model;
    }

    /** Closes every loaded model (the driver of an embedded run calls it when the job is over). */
    static synchronized void closeAll() {
        LOADED.values().forEach(LoadedModel::close);
        LOADED.clear();
    }
}
