package dev.framestream.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command and subcommand answers {@code --help} with its usage and exit code 0: a user
 * finds their way through the tree by asking each level, so no level may refuse the question.
 */
class HelpEverywhereTest {

    @TestFactory
    Stream<DynamicTest> everyCommandTakesHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(FramestreamCommand.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.contains(List.of("framestream", "topics", "create")) && paths.contains(List.of("framestream", "bench", "chaos")),
                "the walk reaches the leaves of the tree: " + paths);
        return paths.stream().map(path -> DynamicTest.dynamicTest(String.join(" ", path) + " --help", () -> {
            List<String> args = new ArrayList<>(path.subList(1, path.size()));
            args.add("--help");
            CommandLine commandLine = FramestreamCommand.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            commandLine.setOut(new PrintWriter(out));
            commandLine.setErr(new PrintWriter(err));
            int code = commandLine.execute(args.toArray(String[]::new));
            assertEquals(0, code, "exit code; stderr: " + err);
            assertTrue(out.toString().startsWith("Usage: " + String.join(" ", path)), "usage of " + path + ":\n" + out);
        }));
    }

    /**
     * Picocli formats each line of help text with {@link String#format}; a bare '%' (write it
     * '%%') makes it print a warning at every use of the command instead of the text.
     */
    @Test
    void helpTextIsValidFormatText() {
        List<String> broken = new ArrayList<>();
        List<List<String>> paths = new ArrayList<>();
        collect(FramestreamCommand.commandLine(), new ArrayList<>(), paths);
        for (List<String> path : paths) {
            CommandLine command = FramestreamCommand.commandLine();
            for (String name : path.subList(1, path.size())) {
                command = command.getSubcommands().get(name);
            }
            CommandSpec spec = command.getCommandSpec();
            List<String> lines = new ArrayList<>();
            lines.addAll(List.of(spec.usageMessage().description()));
            lines.addAll(List.of(spec.usageMessage().header()));
            lines.addAll(List.of(spec.usageMessage().footer()));
            spec.options().forEach(option -> lines.addAll(List.of(option.description())));
            spec.positionalParameters().forEach(parameter -> lines.addAll(List.of(parameter.description())));
            for (String line : lines) {
                try {
                    String.format(line);
                } catch (IllegalFormatException e) {
                    broken.add(String.join(" ", path) + ": \"" + line + "\" (" + e + ")");
                }
            }
        }
        assertEquals(List.of(), broken, "help lines that are not valid format text (write '%' as '%%')");
    }

    /** The command paths below {@code command}, itself first; picocli's own {@code help} command is not walked. */
    private static void collect(CommandLine command, List<String> parents, List<List<String>> paths) {
        List<String> path = new ArrayList<>(parents);
        path.add(command.getCommandName());
        paths.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand) && name.equals(sub.getCommandName())) {
                collect(sub, path, paths);
            }
        });
    }
}
