package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bonexray.data.sample.SampleManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDataCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandRunner r = CommandRunner.run(args);
        out.append(r.out);
        err.append(r.err);
        return r.exitCode;
    }

    @Test
    void writesTheTreeAndRefusesToOverwriteWithoutForce(@TempDir Path dir) {
        String[] args = {"sample-data", "--out", dir.toString(), "--seed", "3", "--train-studies-per-part", "1",
            "--valid-studies-per-part", "1", "--min-side", "48", "--max-side", "64"};
        assertEquals(0, run(args), err.toString());
        Path root = dir.resolve("MURA-v1.1");
        assertTrue(Files.isRegularFile(root.resolve("train_image_paths.csv")));
        assertTrue(Files.isRegularFile(root.resolve("valid_labeled_studies.csv")));
        SampleManifest manifest = SampleManifest.read(root.resolve(SampleManifest.FILE_NAME));
        assertEquals(3, manifest.seed());
        assertEquals(14, manifest.total().studies());
        String text = out.toString();
        assertTrue(text.contains(root.toString()), text);
        assertTrue(text.contains(manifest.total().images() + " images of 14 studies"), text);
        assertTrue(text.contains("bonexray dataset stats --data " + root), text);

        assertEquals(ExitCodes.USAGE, run(args));
        assertTrue(err.toString().contains("already exists") && err.toString().contains("--force"), err.toString());

        String[] forced = java.util.Arrays.copyOf(args, args.length + 1);
        forced[args.length] = "--force";
        assertEquals(0, run(forced), err.toString());
    }

    @Test
    void rejectsAnImpossibleSpecWithAClearMessage(@TempDir Path dir) {
        int code = run("sample-data", "--out", dir.toString(), "--min-side", "300", "--max-side", "200");
        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString().contains("min side"), err.toString());
        assertTrue(Files.notExists(dir.resolve("MURA-v1.1")));
    }

    @Test
    void helpDescribesEveryOptionWithDefaults() {
        assertEquals(0, run("sample-data", "--help"));
        String help = out.toString();
        for (String option : new String[] {"--out", "--seed", "--train-studies-per-part", "--valid-studies-per-part",
            "--min-side", "--max-side", "--abnormal-fraction", "--force"}) {
            assertTrue(help.contains(option), option + " missing in " + help);
        }
        assertTrue(help.contains("Default: data/sample"), help);
        assertTrue(help.contains("Default: 42"), help);
    }
}
