package dev.framestream.app.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

import dev.framestream.app.ScratchDirectory;
import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.classifier.ClassifierService;
import dev.framestream.classifier.ClassifierSettings;
import dev.framestream.engine.Network;
import dev.framestream.engine.Tensor;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.ingest.sources.SyntheticCamera;
import dev.framestream.media.Image;
import dev.framestream.media.Images;
import dev.framestream.model.Model;
import dev.framestream.model.ModelFile;
import dev.framestream.model.Preprocessing;
import dev.framestream.peers.TimedRuns;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.PixelFormat;
import dev.framestream.schemas.SingleObjectCodec;
import dev.framestream.schemas.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The whole pipeline on an embedded broker, against the engine alone in the same run:
 * <ol>
 *   <li>unpaced: a backlog of frames is published and a classifier started on it drains it. Its
 *       rate is the classified frames over the span of their classified times, and every frame
 *       must come out exactly once. The first drain runs on a cold JVM; the classifier is stopped
 *       and a new backlog drained until the JIT compiler is nearly idle, and that drain and the
 *       next, {@code steady} in all, give the steady figure: their median. The engine alone (batches
 *       of {@code maxBatch}, the same network, pool size and pictures) is measured before the first
 *       drain and after each, while no classifier runs (after the last, its classifier is up but
 *       idle: the paced part runs on it). The VM's speed swings by a fifth from one second to the
 *       next, so each drain is compared with the mean of the engine alone just before and after it;</li>
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
     * runs. On the 2-core VM the compiler kept a whole core busy through the first 6,000-frame drain
     * of CAMERA frames and took 8 to 12 drains to fall under 10 %. The engine alone is measured
     * after its warm-up round too.
     */
    static final double STEADY_JIT_SHARE = 0.10;

    /**
     * @param drains the most backlogs to drain while waiting for the JIT to settle
     * @param steady drains measured once it has settled (or {@code drains} were drained), the first of them included
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
     * @param settled    the index of the first steady drain: it and those after it are the steady figure
     */
    record Outcome(List<Comparison> drains, int settled, long backlog, long pacedSent, double pacedSeconds, Latencies toClassified,
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
     * A drain and the engine alone around it, measured while no classifier ran and the broker idled.
     *
     * @param engineBefore the engine alone just before the drain's classifier started
     * @param engineAfter  the same, just after it stopped
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
                ClassifierService.Config config = new ClassifierService.Config(client, "bench-pipeline", classifier, TopicNames.MODEL_WEIGHTS,
                        modelFile, null, settings.streamThreads(), settings.engineThreads(), Duration.ofMillis(settings.commitIntervalMs()),
                        work.resolve("state"));
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                try (ResultReader reader = new ResultReader(broker.bootstrapServers());
                     Drains drains = drainUntilSteady(config, registry, reader, producer, images, pictures, sequences)) {
                    long published = (long) drains.list().size() * settings.backlog();
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
                    return new Outcome(drains.list(), drains.settled(), settings.backlog(), paced, pacedSeconds, reader.classifiedLatencies(),
                            reader.readableLatencies(), sent, all.size(), distinct.size());
                }
            }
        }
    }

    /**
     * The backlogs drained, and the classifier of the last one, still running for the paced part.
     *
     * @param settled the index of the first steady drain
     */
    private record Drains(List<Comparison> list, int settled, ClassifierService classifier) implements AutoCloseable {
        @Override
        public void close() {
            classifier.close();
        }
    }

    /**
     * Drains backlogs until one is steady (or {@code --drains} are done), then until {@code --steady}
     * have been drained from that one on. Each drain is the same: a backlog published, a classifier
     * started on it, then stopped once it has classified it and the engine alone measured. The last
     * classifier is not stopped: the paced part runs on it, as a deployed classifier runs for long,
     * so the engine alone after the last drain is measured with it up but idle.
     */
    private Drains drainUntilSteady(ClassifierService.Config config, SimpleMeterRegistry registry, ResultReader reader,
                                    KafkaProducer<String, byte[]> producer, List<Image> images, List<byte[]> pictures,
                                    long[] sequences) throws Exception {
        List<Comparison> drains = new ArrayList<>();
        double engineBefore = engineAlone(images);
        int settled = -1;
        while (true) {
            publishBacklog(producer, pictures, sequences);
            ClassifierService service = ClassifierService.start(config, registry);
            try {
                Drain drained = drain(reader, registry, (long) drains.size() * settings.backlog());
                if (settled < 0 && (drained.jitShare() <= STEADY_JIT_SHARE || drains.size() + 1 >= settings.drains())) {
                    settled = drains.size();
                }
                boolean last = settled >= 0 && drains.size() + 1 - settled >= settings.steady();
                if (!last) {
                    service.close();
                }
                double engineAfter = engineAlone(images);
                drains.add(new Comparison(drained, engineBefore, engineAfter));
                engineBefore = engineAfter;
                if (last) {
                    return new Drains(drains, settled, service);
                }
            } catch (Exception | Error e) {
                service.close();
                throw e;
            }
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

    private void publishBacklog(KafkaProducer<String, byte[]> producer, List<byte[]> pictures, long[] sequences) {
        for (int i = 0; i < settings.backlog(); i++) {
            send(producer, pictures, i % settings.cameras(), sequences, System.currentTimeMillis());
        }
        producer.flush();
    }

    /**
     * Frames/s of the engine alone at the batch size the classifier fills when it is busy, on the
     * same pictures the pipeline classifies, preprocessed as the classifier does.
     */
    private double engineAlone(List<Image> pictures) {
        int threads = settings.engineThreads();
        try (WorkerPool pool = new WorkerPool(threads)) {
            var inference = network.newInference(pool, settings.maxBatch());
            Tensor input = Tensor.zeros(settings.maxBatch(), network.inputShape());
            Preprocessing preprocessing = model.preprocessing();
            for (int i = 0; i < settings.maxBatch(); i++) {
                preprocessing.apply(pictures.get(i % pictures.size()), input.data(), i * network.inputShape().size());
            }
            TimedRuns runs = TimedRuns.measure(() -> inference.forward(input), 1, 2, 5);
            return runs.count() * (double) settings.maxBatch() / runs.seconds();
        }
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
