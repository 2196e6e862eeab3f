package dev.framestream.bench;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.engine.Network;
import dev.framestream.media.Dataset;
import dev.framestream.media.Image;
import dev.framestream.model.Model;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TopicNames;
import dev.framestream.trainer.online.Checkpoint;
import dev.framestream.trainer.online.OnlineLearner;
import dev.framestream.trainer.online.OnlineListener;
import dev.framestream.trainer.online.OnlineSettings;
import dev.framestream.trainer.online.OnlineTrainer;
import dev.framestream.trainer.online.OnlineTrainerConfig;

/**
 * The online trainer from random weights on a labelled stream, on an embedded broker: a labelled
 * image set is shuffled (seeded) and published to {@code frames.labelled} first, so the trainer
 * consumes a backlog at full speed. Prints the prequential accuracy (each frame scored just before
 * it is trained on) over the stream and how many frames it took to reach the target, then training
 * examples/s while consuming against whole training steps alone ({@code bench train}) in the same run.
 */
final class OnlineBenchmark {
    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();

    record Settings(Dataset data, String net, int border, int frames, double target, int window, OnlineSettings online, int threads,
                    long seed) {
    }

    private final Settings settings;

    OnlineBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** What a step told us, with when. */
    private record Step(long nanos, int fresh, int replayed, int correct) {
    }

    int run(PrintStream out) throws Exception {
        Dataset data = settings.data();
        int count = Math.min(settings.frames(), data.size());
        int[] order = Dataset.shuffled(data.size(), new SplittableRandom(settings.seed()));
        out.printf("framestream bench online: %s from random weights on %d frames of %s (shuffled, seed %d)%n", settings.net(), count,
                data.source(), settings.seed());
        out.printf("  %s%n  hold-out %.0f %%, batch %d (%d fresh + replay), %d engine thread%s%n", settings.online().recipe(),
                100 * settings.online().holdOutShare(), settings.online().batch(), settings.online().freshPerStep(), settings.threads(),
                settings.threads() == 1 ? "" : "s");
        List<Step> steps = new CopyOnWriteArrayList<>();
        List<Checkpoint> checkpoints = new CopyOnWriteArrayList<>();
        long published;
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                Topics.create(admin, 1, (short) 1);
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(TopicNames.FRAMES_LABELLED, "stream",
                            FRAMES.encode(frame(data.images().get(order[i]), data.classNames().get(data.labels()[order[i]]), i))));
                }
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            OnlineListener listener = new OnlineListener() {
                @Override
                public void stepped(OnlineLearner.StepReport step) {
                    steps.add(new Step(System.nanoTime(), step.fresh(), step.replayed(), step.freshCorrect()));
                }

                @Override
                public void checkpointed(Checkpoint checkpoint) {
                    checkpoints.add(checkpoint);
                }
            };
            OnlineTrainerConfig config = OnlineTrainerConfig.builder(client, freshModel(data.classNames())).modelName("bench")
                    .settings(settings.online()).engineThreads(settings.threads()).build();
            OnlineTrainer trainer = OnlineTrainer.start(config, registry, listener);
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (registry.get("framestream.trainer.frames.in").counter().count() < count && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            trainer.close();
            published = checkpoints.stream().filter(c -> c.outcome() == Checkpoint.Outcome.PUBLISHED).count();
        }
        report(steps, checkpoints, published, out);
        return 0;
    }

    private void report(List<Step> steps, List<Checkpoint> checkpoints, long published, PrintStream out) {
        out.printf("%n prequential accuracy (each fresh frame scored by the weights just before they learn from it),%n"
                + " over the last %d fresh frames:%n", settings.window());
        out.printf("%14s %12s%n", "fresh frames", "accuracy");
        ArrayDeque<Step> window = new ArrayDeque<>();
        int inWindow = 0;
        int correctInWindow = 0;
        long fresh = 0;
        long reachedAt = -1;
        long nextLine = settings.window();
        for (Step step : steps) {
            window.add(step);
            inWindow += step.fresh();
            correctInWindow += step.correct();
            while (inWindow - window.peek().fresh() >= settings.window()) {
                Step old = window.poll();
                inWindow -= old.fresh();
                correctInWindow -= old.correct();
            }
            fresh += step.fresh();
            double accuracy = (double) correctInWindow / inWindow;
            if (reachedAt < 0 && inWindow >= settings.window() && accuracy >= settings.target()) {
                reachedAt = fresh;
            }
            if (fresh >= nextLine) {
                out.printf("%14d %11.2f%%%n", fresh, 100 * accuracy);
                nextLine += settings.window();
            }
        }
        double heldOut = settings.online().holdOutShare();
        if (reachedAt < 0) {
            out.printf("%n never reached %.0f %% prequential accuracy in %d fresh frames%n", 100 * settings.target(), fresh);
        } else {
            out.printf("%n reached %.0f %% prequential accuracy after %d fresh frames (about %d frames of the stream with %.0f %% held out)%n",
                    100 * settings.target(), reachedAt, Math.round(reachedAt / (1 - heldOut)), 100 * heldOut);
        }
        Checkpoint last = checkpoints.stream().filter(c -> c.judgement() != null && c.judgement().challenger() != null)
                .reduce((a, b) -> b).orElse(null);
        out.printf(" versions published: %d; challengers kept back by the gate: %d%s%n", published,
                checkpoints.stream().filter(c -> c.outcome() == Checkpoint.Outcome.REJECTED).count(),
                last == null ? "" : String.format("; last validation %.2f %% on %d held-out frames", 100 * last.judgement().challenger().accuracy(),
                        last.judgement().challenger().examples()));

        // Throughput: the steps of the second half of the run, when the JIT has warmed up and the backlog is still there.
        List<Step> timed = steps.subList(steps.size() / 2, steps.size() - 1);
        long examples = timed.stream().skip(1).mapToLong(s -> s.fresh() + s.replayed()).sum();
        double seconds = (timed.get(timed.size() - 1).nanos() - timed.get(0).nanos()) / 1e9;
        double online = examples / seconds;
        double alone = new TrainBenchmark(settings.net(), settings.online().recipe().optimizer(), settings.threads(), 3, 2, 1, settings.seed())
                .examplesPerSecond(settings.online().batch());
        out.printf("%n training examples/s while consuming from Kafka (second half of the run, fresh + replayed): %,.0f%n", online);
        out.printf(" bench train alone (same net, batch %d, %s, %d thread%s):                   %,.0f%n", settings.online().batch(),
                settings.online().recipe().optimizer(), settings.threads(), settings.threads() == 1 ? "" : "s", alone);
        out.printf(" ratio: %.0f %%%n", 100 * online / alone);
    }

    private Model freshModel(List<String> classNames) {
        Network network = Network.build(settings.net());
        network.initialise(settings.seed());
        return Model.untrained("bench", network, classNames, settings.border());
    }

    private static Frame frame(Image image, String truth, long sequence) {
        return Frame.newBuilder()
                .setCameraId("stream")
                .setSequence(sequence)
                .setCaptureTime(Instant.now())
                .setWidth(image.width())
                .setHeight(image.height())
                .setChannels(image.format().channels())
                .setPixelFormat(PixelFormat.valueOf(image.format().name()))
                .setPixels(ByteBuffer.wrap(image.pixels()))
                .setTruth(truth)
                .setSource("bench online")
                .build();
    }
}
