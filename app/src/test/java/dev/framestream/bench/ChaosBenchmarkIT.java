package dev.framestream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.framestream.app.cli.FramestreamCommand;

/**
 * The guarantees under SIGKILL, with the services as separate processes killed while they work:
 * the classifier classifies every acknowledged frame once; the online trainer's versions count up
 * and together consume every labelled frame.
 */
class ChaosBenchmarkIT {

    @Test
    void aClassifierKilledMidStreamAgainAndAgainLosesNoFrameAndRepeatsNone() throws Exception {
        ChaosBenchmark.Settings settings = new ChaosBenchmark.Settings(3000, 2, 2, Duration.ofSeconds(2), 2, 3, null);
        ChaosBenchmark.Outcome outcome = new ChaosBenchmark(settings, FramestreamCommand.class).run(new PrintStream(System.out, true));
        assertEquals(3000, outcome.sent(), "every frame acknowledged");
        assertEquals(0, outcome.failed());
        assertEquals(2, outcome.kills());
        assertEquals(3, outcome.starts());
        assertEquals(0, outcome.lost(), "no acknowledged frame without a classification");
        assertEquals(0, outcome.duplicated(), "no frame classified twice");
        assertEquals(outcome.sent(), outcome.classified());
        var atKills = outcome.classifiedAtKills();
        for (int k = 1; k < atKills.size(); k++) {
            assertTrue(atKills.get(k) > atKills.get(k - 1), "each restarted classifier worked before its kill: " + atKills);
        }
        // The first kill falls mid-stream unless a start takes longer than the ~20 s of ingest. A later one may
        // not: a restart sometimes sits out the 15 s session timeout in REBALANCING (seen in 2 of 3 CI runs and
        // with `bench chaos` at these settings; a kill inside Kafka Streams' follow-up rebalance is the likely
        // cause), and the stream has ended by its kill.
        assertTrue(atKills.getFirst() > 0 && atKills.getFirst() < outcome.sent(), "the first kill fell while frames flowed: " + atKills);
        assertTrue(outcome.deadLetters().isEmpty(), "good frames make no dead letters: " + outcome.deadLetters());
    }

    @Test
    void anOnlineTrainerKilledAfterItsCheckpointsPublishesVersionsThatCountUpAndSkipsNoFrame() throws Exception {
        ChaosBenchmark.Settings settings = new ChaosBenchmark.Settings(1500, 2, 2, Duration.ofSeconds(2), 2, 5, null);
        TrainerChaos.Outcome outcome = new TrainerChaos(settings, FramestreamCommand.class).run(new PrintStream(System.out, true));
        assertEquals(1500, outcome.labelled());
        assertEquals(2, outcome.kills());
        assertEquals(3, outcome.starts());
        assertEquals(List.of(), outcome.problems(), "versions count up one by one, each the child of the one before, offsets without a gap,"
                + " every labelled frame consumed");
        assertTrue(outcome.versions().size() >= 2, "versions published across the kills: " + outcome.versions());
        assertEquals(LongStream.rangeClosed(1, outcome.versions().size()).boxed().toList(), outcome.versions(),
                "no version number lost or reused across restarts");
    }
}
