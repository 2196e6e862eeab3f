package dev.framestream.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.classifier.streams.ClassifierConfig;
import dev.framestream.classifier.streams.ClassifierService;
import dev.framestream.cli.ScratchDirectory;
import dev.framestream.engine.Network;
import dev.framestream.ingest.sources.SyntheticCamera;
import dev.framestream.media.Image;
import dev.framestream.media.Images;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The whole pipeline on an embedded broker, against the engine alone in the same run:
 * <ol>
 *   <li>unpaced: a backlog of frames is published and the classifier drains it; its rate is the
 *       classified frames over the span of their classified times, and every frame must come out
 *       exactly once. The first drain runs on a cold JVM; the classifier is paused and a new
 *       backlog drained until the JIT compiler is nearly idle. Each drain is compared with the
 *       engine alone measured just before and just after it. Then the steady figure: the
 *       classifier and the engine alone in alternating slices ({@link InterleavedSlices});</li>
 *   <li>paced: {@code cameras} cameras at {@code fps} each, live, while a read_committed consumer
 *       reads the results; latency is capture to classified (the record's own times) and capture
 *       to readable (when a read_committed consumer got it, which adds the commit interval).</li>
 * </ol>
 * Everything runs in this one process on this machine's cores: publisher, broker, classifier and
 * reader share them, as they would in the demo.
 */
final class PipelineBenchmark {
    private static final SingleObjectCodec<Frame> FRAMES = SingleObjectCodec.frame();
    /**
     * A drain counts as steady once the JIT compiles for under this share of it. The first drain
     * of a fresh JVM is not: the broker's, the clients' and the classifier's paths compile while it
     * runs. On a small machine the compiler can keep a whole core busy through the first drain and
     * take several more to fall under 10 % (measurements: docs/benchmarks.md).
     */
    static final double STEADY_JIT_SHARE = 0.10;
    /** Each slice of the steady measurement, the classifier's and the engine alone's. */
    private static final Duration SLICE = Duration.ofSeconds(2);
    /** The engine alone around each drain. */
    private static final double ENGINE_SECONDS = 2;

    /**
     * @param drains the most backlogs to drain while waiting for the JIT to settle
     * @param steady pairs of slices (the classifier, then the engine alone) measured once it has settled
     */
    record Settings(String net, int cameras, double fps, int backlog, int drains, int steady, double pacedSeconds, int maxBatch, long maxWaitMs,
                    int partitions, int streamThreads, int engineThreads, long commitIntervalMs) {
    }

    /** Milliseconds, sorted. */
    record Latencies(long[] sorted) {
        long percentile(double q) {
            return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
        }
    }

    /**
     * @param sent       frames acknowledged by the broker, backlog and paced together
     * @param classified classifications read (read_committed) at the end
     * @param distinct   distinct (camera, sequence) among them: sent - distinct were lost, classified - distinct repeated
     * @param drains     the backlogs drained, the first on a cold JVM
     * @param steady     the classifier against the engine alone in alternating slices, once the JIT had settled
     */
    record Outcome(List<Comparison> drains, InterleavedSlices.Result steady, long backlog, long pacedSent, double pacedSeconds, Latencies toClassified,
                   Latencies toReadable, long sent, long classified, long distinct) {
    }

    /**
     * One backlog drained: its rate and where its time went by the classifier's own meters.
     *
     * @param jitShare seconds the JIT compiler spent per second of the drain (summed over its threads)
     */
    record Drain(double fps, double seconds, long batches, double engineSeconds, double preprocessSeconds, double jitShare) {
    }

    /**
     * A drain and the engine alone around it, measured while the classifier was paused and the broker idled.
     *
     * @param engineBefore the engine alone just before the classifier resumed on the drain's backlog
     * @param engineAfter  the same, just after it had classified the backlog and paused
     */
    record Comparison(Drain drain, double engineBefore, double engineAfter) {
        /** The engine alone this drain is compared with: the mean of the two measured around it. */
        double engineFps() {
            return (engineBefore + engineAfter) / 2;
        }

        double ratio() {
            return drain.fps() / engineFps();
        }
    }

    private final Settings settings;
    private final Network network;
    /** Random weights; the pipeline serves it and the engine alone runs it on the same preprocessed pictures. */
    private final Model model;

    PipelineBenchmark(Settings settings) {
        this.settings = settings;
        this.network = Network.build(settings.net());
        network.initialise(1);
        this.model = Model.untrained("bench", network, Model.numberedClasses(network.outputShape().size()), 0);
    }

    Outcome run() throws Exception {
        List<Image> images = pictures();
        List<byte[]> pictures = images.stream().map(Image::pixels).toList();
        try (ScratchDirectory work = ScratchDirectory.create("framestream-bench-pipeline"); EmbeddedBroker broker = EmbeddedBroker.start()) {
            Map<String, Object> client = Map.of("bootstrap.servers", broker.bootstrapServers());
            try (Admin admin = Admin.create(client)) {
                Topics.create(admin, settings.partitions(), (short) 1);
            }
            Path modelFile = work.resolve("bench.fsm");
            ModelFile.save(model, modelFile);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
                long[] sequences = new long[settings.cameras()];
                ClassifierSettings classifier = new ClassifierSettings(TopicNames.FRAMES, TopicNames.CLASSIFICATIONS, TopicNames.DEAD_LETTERS,
                        settings.maxBatch(), Duration.ofMillis(settings.maxWaitMs()), 3, false);
                ClassifierConfig config = ClassifierConfig.builder(client, classifier).applicationId("bench-pipeline")
                        .modelFile(modelFile).streamThreads(settings.streamThreads()).engineThreads(settings.engineThreads())
                        .commitInterval(Duration.ofMillis(settings.commitIntervalMs())).stateDir(work.resolve("state")).build();
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                try (EngineAlone engine = new EngineAlone(network, model, images, settings.engineThreads(), settings.maxBatch());
                     ResultReader reader = new ResultReader(broker.bootstrapServers());
                     Drains drains = drainUntilSteady(config, registry, reader, engine, producer, pictures, sequences)) {
                    InterleavedSlices.Backlog backlog = new InterleavedSlices.Backlog() {
                        @Override
                        public long waiting() {
                            return published(sequences) - Math.round(drains.classifier().metrics().classifiedSoFar());
                        }

                        @Override
                        public void add(int frames) {
                            publish(producer, pictures, sequences, frames);
                        }
                    };
                    InterleavedSlices.Result steady = InterleavedSlices.measure(drains.classifier(), drains.classifier().metrics()::classifiedSoFar, engine, backlog,
                            settings.steady(), SLICE, drains.list().getLast().drain().fps());
                    drains.classifier().resume();
                    long published = published(sequences);
                    reader.await(published);
                    reader.startTiming();
                    long began = System.nanoTime();
                    long paced = paced(producer, pictures, sequences);
                    double pacedSeconds = (System.nanoTime() - began) / 1e9;
                    long sent = published + paced;
                    reader.await(sent);
                    Thread.sleep(Math.max(500, 4 * settings.commitIntervalMs()));      // a repeat would show up by now
                    List<Classification> all = reader.await(sent);
                    Set<String> distinct = new HashSet<>();
                    all.forEach(c -> distinct.add(c.getCameraId() + "#" + c.getSequence()));
                    return new Outcome(drains.list(), steady, settings.backlog(), paced, pacedSeconds, reader.classifiedLatencies(),
                            reader.readableLatencies(), sent, all.size(), distinct.size());
                }
            }
        }
    }

    /** Frames published so far, backlogs and paced. */
    private static long published(long[] sequences) {
        return Arrays.stream(sequences).sum();
    }

    /** The backlogs drained, and the classifier that drained them, paused. */
    private record Drains(List<Comparison> list, ClassifierService classifier) implements AutoCloseable {
        @Override
        public void close() {
            classifier.close();
        }
    }

    /**
     * Drains backlogs until the JIT compiles for under {@link #STEADY_JIT_SHARE} of one, or
     * {@code --drains} are done. One classifier drains them all, as a deployed classifier runs for
     * long (a new one per drain kept the JIT compiling new classes' code after every start), and
     * it is paused between drains: the engine alone is measured while it is paused and its next
     * backlog is published, then it resumes and drains it.
     */
    private Drains drainUntilSteady(ClassifierConfig config, SimpleMeterRegistry registry, ResultReader reader, EngineAlone engine,
                                    KafkaProducer<String, byte[]> producer, List<byte[]> pictures, long[] sequences) throws Exception {
        List<Comparison> drains = new ArrayList<>();
        ClassifierService classifier = ClassifierService.start(config, registry);
        try {
            classifier.pause();
            double engineBefore = engine.framesPerSecond(ENGINE_SECONDS);
            while (true) {
                publish(producer, pictures, sequences, settings.backlog());
                classifier.resume();
                Drain drained = drain(reader, registry, (long) drains.size() * settings.backlog());
                classifier.pause();
                double engineAfter = engine.framesPerSecond(ENGINE_SECONDS);
                drains.add(new Comparison(drained, engineBefore, engineAfter));
                engineBefore = engineAfter;
                if (drained.jitShare() <= STEADY_JIT_SHARE || drains.size() >= settings.drains()) {
                    return new Drains(drains, classifier);
                }
            }
        } catch (Exception | Error e) {
            classifier.close();
            throw e;
        }
    }

    /**
     * Waits for the backlog published after the first {@code before} frames to be classified, and
     * measures its drain: classified frames over the span of their classified times, with the
     * classifier's meters and the JIT compiler's time over the same stretch.
     */
    private Drain drain(ResultReader reader, SimpleMeterRegistry registry, long before) throws InterruptedException {
        Meters start = Meters.of(registry);
        List<Classification> drained = reader.await(before + settings.backlog()).subList((int) before, (int) before + settings.backlog());
        Meters end = Meters.of(registry);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Classification c : drained) {
            first = Math.min(first, c.getClassifiedTime().toEpochMilli());
            last = Math.max(last, c.getClassifiedTime().toEpochMilli());
        }
        double seconds = Math.max(1e-3, (last - first) / 1e3);
        return new Drain((drained.size() - 1) / seconds, seconds, end.batches - start.batches, end.engineSeconds - start.engineSeconds,
                end.preprocessSeconds - start.preprocessSeconds, (end.jitSeconds - start.jitSeconds) / ((end.nanos - start.nanos) / 1e9));
    }

    /** The classifier's meters and the JIT's compilation time, read at one moment. */
    private record Meters(long nanos, long batches, double engineSeconds, double preprocessSeconds, double jitSeconds) {
        static Meters of(SimpleMeterRegistry registry) {
            return new Meters(System.nanoTime(), registry.get("framestream.classifier.batch.size").summary().count(),
                    registry.get("framestream.classifier.engine.time").timer().totalTime(TimeUnit.SECONDS),
                    registry.get("framestream.classifier.preprocess.time").timer().totalTime(TimeUnit.SECONDS),
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3);
        }
    }

    private void publish(KafkaProducer<String, byte[]> producer, List<byte[]> pictures, long[] sequences, int frames) {
        for (int i = 0; i < frames; i++) {
            send(producer, pictures, i % settings.cameras(), sequences, System.currentTimeMillis());
        }
        producer.flush();
    }

    /** Sends {@code cameras} frames every {@code 1/fps} s for the paced seconds; returns how many. */
    private long paced(KafkaProducer<String, byte[]> producer, List<byte[]> pictures, long[] sequences) {
        long period = (long) (1e9 / settings.fps());
        long start = System.nanoTime();
        long end = start + (long) (settings.pacedSeconds() * 1e9);
        long sent = 0;
        for (long tick = start; tick < end; tick += period) {
            LockSupport.parkNanos(tick - System.nanoTime());
            for (int camera = 0; camera < settings.cameras(); camera++) {
                send(producer, pictures, camera, sequences, System.currentTimeMillis());
                sent++;
            }
        }
        producer.flush();
        return sent;
    }

    private void send(KafkaProducer<String, byte[]> producer, List<byte[]> pictures, int camera, long[] sequences, long now) {
        String id = "cam-" + camera;
        long sequence = sequences[camera]++;
        byte[] pixels = pictures.get((int) ((sequence * 7 + camera) % pictures.size()));
        var shape = network.inputShape();
        Frame frame = Frame.newBuilder().setCameraId(id).setSequence(sequence).setCaptureTime(Instant.ofEpochMilli(now))
                .setWidth(shape.width()).setHeight(shape.height()).setChannels(shape.channels())
                .setPixelFormat(shape.channels() == 1 ? PixelFormat.GRAY8 : PixelFormat.BGR8).setPixels(ByteBuffer.wrap(pixels))
                .setSource("bench").build();
        producer.send(new ProducerRecord<>(TopicNames.FRAMES, id, FRAMES.encode(frame)));
    }

    /** Camera-like pictures at the network's input size: the synthetic camera's digits on noise. */
    private List<Image> pictures() throws Exception {
        var shape = network.inputShape();
        List<Image> pictures = new ArrayList<>();
        try (SyntheticCamera camera = new SyntheticCamera(Math.max(16, shape.width()), Math.max(16, shape.height()), 64, 30, 0, 1)) {
            for (int i = 0; i < 64; i++) {
                Image image = camera.next().orElseThrow().image();
                Image sized = Images.resize(image, shape.width(), shape.height());
                pictures.add(Images.convert(sized, shape.channels() == 1 ? dev.framestream.media.PixelFormat.GRAY8 : dev.framestream.media.PixelFormat.BGR8));
            }
        }
        return pictures;
    }
}
