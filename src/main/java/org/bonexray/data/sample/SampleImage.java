package org.bonexray.data.sample;

import java.util.List;

/** One written image: its CSV path, size, whether it was saved as RGB, and the findings drawn in it. */
record SampleImage(String path, int width, int height, boolean rgb, List<FindingBox> findings) {

    SampleImage {
        findings = List.copyOf(findings);
    }
}
