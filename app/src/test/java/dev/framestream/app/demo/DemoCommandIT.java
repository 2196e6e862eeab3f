package dev.framestream.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.framestream.app.cli.FailingRun;
import dev.framestream.app.cli.FramestreamCommand;
import picocli.CommandLine;

/** {@code framestream demo} as a user runs it: a bounded run from random weights on the synthetic cameras. */
class DemoCommandIT {
    private static final Pattern TOTALS = Pattern.compile("([\\d,]+) frames published, ([\\d,]+) classified \\((\\d+) out of order");
    private static final Pattern VERSION_ROW = Pattern.compile("^\\s+v(\\d+)\\s+([\\d,]+)\\s+([\\d.]+) %$", Pattern.MULTILINE);
    private static final Pattern FINAL = Pattern.compile("final accuracy: ([\\d.]+) %");

    @Test
    void accuracyClimbsFarAboveChanceAsTrainedVersionsSwapInAndEveryFrameIsClassifiedOnce() {
        CommandLine commandLine = FramestreamCommand.commandLine();
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        int exit = commandLine.execute("demo", "--duration", "40s", "--fps", "30", "--publish-every-seconds", "5", "--metrics-port", "-1");
        String text = out.toString();
        assertEquals(0, exit, text);

        Matcher totals = TOTALS.matcher(text);
        assertTrue(totals.find(), text);
        long published = number(totals.group(1));
        assertTrue(published > 1000, "4 cameras at 30 fps for 40 s publish thousands of frames: " + published);
        assertEquals(published, number(totals.group(2)), "every published frame is classified once stopped");
        assertEquals(0, Long.parseLong(totals.group(3)), "no repeat, no reordering within a camera");

        List<double[]> versions = new ArrayList<>();     // {version, frames, accuracy}
        Matcher row = VERSION_ROW.matcher(text);
        while (row.find()) {
            versions.add(new double[] {Long.parseLong(row.group(1)), number(row.group(2)), Double.parseDouble(row.group(3))});
        }
        assertTrue(versions.size() >= 3, "random v1 and at least two trained versions served:\n" + text);
        assertEquals(1, versions.get(0)[0]);
        assertTrue(versions.get(0)[2] < 25, "v1 is random weights, near chance (10 %):\n" + text);
        assertTrue(versions.get(versions.size() - 1)[2] > versions.get(0)[2] + 20, "the last version beats the first clearly:\n" + text);

        Matcher accuracy = FINAL.matcher(text);
        assertTrue(accuracy.find(), text);
        assertTrue(Double.parseDouble(accuracy.group(1)) >= 40, "final accuracy at least 4x chance:\n" + text);
    }

    @Test
    void badSettingsAreRefusedInOneLineBeforeAnythingStarts() {
        assertTrue(FailingRun.stderr("demo", "--cameras", "0").contains("--cameras must be between 1 and 64"));
        assertTrue(FailingRun.stderr("demo", "--data", "/no/such/digits.png").contains("--data /no/such/digits.png does not exist"));
        assertTrue(FailingRun.stderr("demo", "--net", "in 1x28x28 | flatten | fc 3 | softmax", "--duration", "1s")
                .contains("has 3 outputs but the data has 10 classes"));
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", ""));
    }
}
