package org.bonexray.cli;

import org.bonexray.Versions;
import picocli.CommandLine;

/** Prints bonexray's, DJL's and Java's versions for {@code --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "bonexray " + Versions.bonexray(),
            "DJL " + Versions.djl() + ", PyTorch engine " + Versions.PYTORCH,
            "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }
}
