package org.bonexray.data.sample;

import java.util.List;

/** The bones and soft tissue of one view, in canonical or (after {@link #map}) pixel coordinates. */
record Anatomy(List<Bone> bones, List<Capsule> softTissue) {

    Anatomy {
        bones = List.copyOf(bones);
        softTissue = List.copyOf(softTissue);
    }

    Anatomy map(ViewTransform t) {
        return new Anatomy(bones.stream().map(b -> b.map(t)).toList(),
                softTissue.stream().map(c -> c.map(t)).toList());
    }
}
