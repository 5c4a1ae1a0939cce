package org.bonexray.train;

import ai.djl.Model;
import java.io.PrintStream;
import org.bonexray.model.AbnormalityNet;

/** Loads pretrained backbone weights into a freshly initialised network, as the configuration asks. */
final class Pretrained {
    private Pretrained() {
    }

    static void load(TrainConfig config, AbnormalityNet net, Model model, PrintStream out) {
        if (!config.pretrained().equals("none")) {
            throw new IllegalArgumentException("--pretrained " + config.pretrained() + " is not available in this build");
        }
    }
}
