package org.bonexray.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the model folder and reloads when its files change: it compares the size, modification time and file key
 * of {@code model.json} and {@code weights.params} at every poll, and reloads once a change has held still for one
 * interval (a model being written is not read half-way; {@code train} replaces the folder in one rename anyway). A
 * model that fails to load is not retried until the folder changes again.
 */
final class ModelWatcher implements AutoCloseable {
    private static final List<String> FILES = List.of("model.json", "weights.params");

    private final Path dir;
    private final ModelLoader loader;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bonexray-model-watch");
        t.setDaemon(true);
        return t;
    });
    private String served;
    private String seen;

    ModelWatcher(Path dir, Duration interval, ModelLoader loader) {
        this.dir = dir;
        this.loader = loader;
        this.served = signature(dir);
        this.seen = served;
        long millis = interval.toMillis();
        thread.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        String now = signature(dir);
        if (now != null && !now.equals(served) && now.equals(seen)) {
            served = now;
            try {
                loader.load("watch").join();
            } catch (RuntimeException e) {
                // the loader logged why; the model before it keeps serving
            }
        }
        seen = now;
    }

    /** The files' identities, or null while one is missing (a folder being replaced). */
    static String signature(Path dir) {
        StringBuilder s = new StringBuilder();
        for (String name : FILES) {
            try {
                BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                s.append(name).append(':').append(a.size()).append(':').append(a.lastModifiedTime().toMillis())
                        .append(':').append(a.fileKey()).append(';');
            } catch (IOException e) {
                return null;
            }
        }
        return s.toString();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
