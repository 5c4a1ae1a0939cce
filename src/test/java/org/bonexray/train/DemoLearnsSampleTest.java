package org.bonexray.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bonexray.data.LoadOptions;
import org.bonexray.data.MuraIndex;
import org.bonexray.data.MuraIndexLoader;
import org.bonexray.data.sample.SampleSpec;
import org.bonexray.data.sample.SyntheticMuraGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo preset learns the bundled synthetic sample: validation study accuracy far above chance. About five
 * minutes on two cores, so it runs with {@code mvn -B test -Pslow} rather than in the default suite.
 */
@Tag("slow")
@Timeout(value = 30, unit = TimeUnit.MINUTES) // the whole demo: 50 epochs of the small DenseNet
class DemoLearnsSampleTest {
    @TempDir
    Path tmp;

    @Test
    void demoPresetLearnsTheDefaultSample() {
        SyntheticMuraGenerator.generate(tmp, SampleSpec.DEFAULT, null);
        MuraIndex index = MuraIndexLoader.load(SyntheticMuraGenerator.datasetDir(tmp), LoadOptions.STRICT);
        TrainingResult result = new TrainingRun(TrainDefaults.demo(), index, tmp.resolve("run"), 2,
                new PrintStream(new ByteArrayOutputStream())).run(false);
        double accuracy = result.best().validationAccuracy();
        assertTrue(accuracy > 0.7, "validation study accuracy " + accuracy);
        assertTrue(result.best().validationAuroc() > 0.8, "validation AUROC " + result.best().validationAuroc());
    }
}
