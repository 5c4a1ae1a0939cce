package org.bonexray.cli;

import java.util.concurrent.Callable;
import org.bonexray.data.DatasetStats;
import org.bonexray.data.MuraIndex;
import org.bonexray.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bonexray dataset}: inspect and validate a MURA-format dataset. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        header = "Inspect and validate a MURA-format dataset.",
        subcommands = {DatasetCommand.Stats.class, DatasetCheckCommand.class})
public final class DatasetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code bonexray dataset stats}: the paper's Figure 2 as a table. */
    @Command(name = "stats", mixinStandardHelpOptions = true, showDefaultValues = true,
            header = "Count studies and images per split and body part, normal and abnormal.",
            description = {"Reads the dataset (CSVs, or a folder scan when they are absent), validates it and prints "
                    + "per split and body part: patients, studies and images, normal and abnormal, with totals. "
                    + "Images are counted, not decoded: 'dataset check' decodes every one and lists the bad.",
                    "Exit codes: 0 ok, 2 bad usage, 3 dataset refused (every problem is listed with its path)."})
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataOptions data;

        @Option(names = "--json", description = "Print JSON for machines instead of the table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            MuraIndex index = data.load(spec.commandLine().getErr());
            DatasetStats stats = DatasetStats.of(index);
            var out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stats));
            } else {
                out.println("Dataset " + index.root() + " (read from: " + index.report().sources() + ")");
                out.print(stats.toTable());
                out.println("(Images were counted, not decoded: 'bonexray dataset check --data " + data.data
                        + "' decodes every one and lists those that cannot be read.)");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
