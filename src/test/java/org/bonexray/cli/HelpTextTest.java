package org.bonexray.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.bonexray.runtime.Precision;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's --help renders cleanly (picocli formats descriptions, so a bare '%' breaks them), and option
 * values read the same whatever the option's type.
 */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        Map<String, CommandLine> commands = Main.commandLine().getSubcommands();
        assertTrue(commands.size() >= 10, "subcommands: " + commands.keySet());
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (Map.Entry<String, CommandLine> e : commands.entrySet()) {
                CommandRunner help = CommandRunner.run(e.getKey(), "--help");
                assertEquals(0, help.exitCode, e.getKey() + ": " + help);
                assertFalse(help.out.contains("%n"), e.getKey() + " prints an unformatted %n: " + help.out);
            }
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }

    @Test
    void enumOptionsTakeTheLowerCaseSpellingTheDocsUse() {
        CommandLine.ParseResult parsed = Main.commandLine().parseArgs("bench", "--workload", "infer", "--precision",
                "bf16", "--layout", "channels_last").subcommand();
        assertEquals(Precision.BF16, parsed.matchedOptionValue("--precision", null));
    }
}
