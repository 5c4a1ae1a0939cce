package org.bonexray.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bonexray.runtime.DeviceChoice;
import org.bonexray.runtime.EngineFacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bonexray doctor}: which engine, devices, precision and threads a command would use here, and whether they work. */
@Command(name = "doctor", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Show the engine, devices, precision and threads bonexray would use, and check that they work.",
        description = {"Prints the PyTorch engine (version, flavor, library folder), the GPUs it sees, the CPU and its "
                + "bf16 units, what --precision auto resolves to, the threads, memory, DJL's cache folder and the "
                + "offline settings, then runs a small matrix product and the dense-block kernel on the chosen device.",
                "A GPU needs a CUDA build of libtorch 2.7.1 named by BONEXRAY_LIBTORCH: see docs/DEVICES.md.",
                "Exit codes: 0 usable, 1 not usable (the message says what failed), 2 bad usage."})
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        Device[] devices = device.resolve();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> facts = EngineFacts.gather(devices);
        int width = facts.keySet().stream().mapToInt(String::length).max().orElse(0);
        facts.forEach((name, value) -> out.printf("%-" + width + "s  %s%n", name, value));
        boolean usable = true;
        for (Device d : devices) {
            String problem = EngineFacts.check(d);
            out.printf("%-" + width + "s  %s%n", "check " + DeviceChoice.describe(d), problem == null ? "ok" : "FAILED: " + problem);
            usable &= problem == null;
        }
        out.println(usable ? "usable" : "not usable");
        out.flush();
        return usable ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
