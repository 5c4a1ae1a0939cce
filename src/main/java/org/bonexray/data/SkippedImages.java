package org.bonexray.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The images a run skipped under {@link BadImagePolicy#SKIP}, each with its reason; thread-safe. */
public final class SkippedImages {
    private final Map<Path, String> reasons = new TreeMap<>();

    synchronized void add(Path image, String reason) {
        reasons.put(image, reason);
    }

    public synchronized int count() {
        return reasons.size();
    }

    /** One line per skipped image: path and reason. */
    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        reasons.forEach((p, r) -> out.add(p + ": " + r));
        return out;
    }
}
