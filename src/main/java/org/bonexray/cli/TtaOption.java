package org.bonexray.cli;

import org.bonexray.data.image.TestTimeAugmentation;
import picocli.CommandLine.Option;

/** {@code --tta}, the same on every command that predicts (a picocli mixin). */
public final class TtaOption {
    @Option(names = "--tta", defaultValue = "none", paramLabel = "none|flip|flip+rotate",
            description = "Test-time augmentation: each image's probability is the mean over its views: none (the image "
                    + "alone), flip (and its mirror image) or flip+rotate (both, each also rotated by plus and minus 10 "
                    + "degrees: six passes). Costs one network pass per view (docs/ACCURACY.md).")
    String tta;

    /** @return the parsed setting; a bad word is a usage error */
    TestTimeAugmentation resolve() {
        return UsageException.of(() -> TestTimeAugmentation.parse(tta));
    }
}
