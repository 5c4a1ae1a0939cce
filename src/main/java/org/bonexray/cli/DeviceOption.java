package org.bonexray.cli;

import ai.djl.Device;
import org.bonexray.runtime.DeviceChoice;
import picocli.CommandLine.Option;

/** {@code --device}, the same on every command that runs a network (a picocli mixin). */
public final class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu|gpu:N",
            description = "Where the network computes: auto (every GPU the engine sees, else the CPU), cpu, gpu (every "
                    + "GPU; training splits each batch across them) or gpu:N. A GPU needs a CUDA libtorch named by "
                    + "BONEXRAY_LIBTORCH (docs/DEVICES.md; bonexray doctor shows what the engine sees).")
    String device;

    /** @return the parsed choice; a bad word is a usage error */
    DeviceChoice choice() {
        return UsageException.of(() -> DeviceChoice.parse(device));
    }

    /** @return the devices, refusing a GPU the engine does not see, before any work is done */
    Device[] resolve() {
        return choice().resolve();
    }
}
