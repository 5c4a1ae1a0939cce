package org.bonexray.data.sample;

import java.util.List;

/**
 * One bone: capsules merged by their maximum (so shaft and flared ends do not double up), drawn with a dense
 * cortex shell of inner/outer radius ratio {@code marrowRatio} around less dense marrow. The first capsule is
 * the shaft; {@code findingSite} marks bones large enough to carry a visible finding.
 */
record Bone(List<Capsule> parts, double marrowRatio, double density, boolean findingSite) {

    Bone {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a bone needs at least one capsule");
        }
        if (!(marrowRatio >= 0 && marrowRatio < 1)) {
            throw new IllegalArgumentException("marrow ratio must be in [0, 1)");
        }
    }

    Capsule shaft() {
        return parts.get(0);
    }

    Bone map(ViewTransform t) {
        return new Bone(parts.stream().map(c -> c.map(t)).toList(), marrowRatio, density, findingSite);
    }
}
