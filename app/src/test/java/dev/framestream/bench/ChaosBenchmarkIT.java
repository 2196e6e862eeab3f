package dev.framestream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
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
        ChaosBenchmark.Outcome outcome = new ChaosBenchmark(settings, ChaosBenchmark.Cluster.single(), FramestreamCommand.class)
                .run(new PrintStream(System.out, true));
        assertTrue(outcome.sent() >= 3000 && outcome.failed() == 0, "every frame acknowledged: " + outcome);
        assertEquals(2, outcome.kills().size());
        assertEquals(3, outcome.starts());
        assertEquals(0, outcome.lost(), "no acknowledged frame without a classification");
        assertEquals(0, outcome.duplicated(), "no frame classified twice");
        assertEquals(outcome.sent(), outcome.classified());
        var atKills = outcome.kills().stream().map(ChaosBenchmark.Kill::classifiedSoFar).toList();
        for (int k = 1; k < atKills.size(); k++) {
            assertTrue(atKills.get(k) > atKills.get(k - 1), "each restarted classifier worked before its kill: " + atKills);
        }
        // Cameras go on until the last restarted classifier has served again, so every kill falls while frames flow.
        assertTrue(atKills.getFirst() > 0 && atKills.getLast() < outcome.sent(), "the kills fell while frames flowed: " + atKills);
        outcome.kills().forEach(kill -> assertFalse(Double.isNaN(kill.firstResult()), "each restarted classifier served again: " + kill));
        assertTrue(outcome.deadLetters().isEmpty(), "good frames make no dead letters: " + outcome.deadLetters());
    }

    /**
     * Scale-out: two classifier processes share four partitions; one is killed and stays dead
     * longer than the session timeout, so the survivor must take its partitions, then it returns
     * and gets work again. Every frame is classified once across the whole dance.
     */
    @Test
    void twoInstancesShareTheFramesAndTheSurvivorTakesOverFromAKilledOne() throws Exception {
        Duration dead = Duration.ofSeconds(10);
        ChaosBenchmark.Settings settings = new ChaosBenchmark.Settings(4000, 1, 8, Duration.ofSeconds(2), 4, 11, null);
        ChaosBenchmark.Cluster cluster = new ChaosBenchmark.Cluster(2, dead, List.of(), null);
        ChaosBenchmark.Outcome outcome = new ChaosBenchmark(settings, cluster, FramestreamCommand.class).run(new PrintStream(System.out, true));
        assertTrue(outcome.sent() >= 4000 && outcome.failed() == 0, "every frame acknowledged: " + outcome);
        assertEquals(0, outcome.lost(), "no acknowledged frame without a classification");
        assertEquals(0, outcome.duplicated(), "no frame classified twice");
        assertEquals(Set.of("chaos-1", "chaos-2"), outcome.perInstance().keySet(), "both instances classified frames, each named in its"
                + " records' header: " + outcome.perInstance());
        ChaosBenchmark.Kill kill = outcome.kills().getFirst();
        String survivor = kill.victim().equals("chaos-1") ? "chaos-2" : "chaos-1";
        assertFalse(kill.owned().isEmpty(), "the killed instance had partitions of its own: " + kill);
        assertEquals(Set.of(survivor), kill.servedBy(), "the survivor served the dead one's partitions before it came back " + dead.toSeconds()
                + " s later: " + kill);
        assertTrue(kill.servedAgain() < dead.toSeconds(), "served again within the dead time: " + kill);
        assertFalse(Double.isNaN(kill.firstResult()), "the returned instance got work again: " + kill);
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
