package dev.framestream.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;
import org.opencv.videoio.VideoWriter;

import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.ingest.publish.FramePublisher;
import dev.framestream.ingest.runner.CameraIngest;
import dev.framestream.ingest.sources.FolderSource;
import dev.framestream.ingest.sources.FrameSource;
import dev.framestream.ingest.sources.VideoFileSource;
import dev.framestream.media.OpenCv;
import dev.framestream.schemas.AvroSerde;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.TopicNames;

/** Files decoded by OpenCV, written by the test, into a real broker: an image folder and an MJPEG AVI. */
class FileIngestIT {
    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Topics.create(admin, 1, (short) 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void anImageFolderArrivesWithItsPixelsAndClassNames(@TempDir Path dir) throws Exception {
        OpenCv.load();
        for (String name : List.of("cat", "dog")) {
            Files.createDirectories(dir.resolve(name));
            for (int i = 0; i < 3; i++) {
                Imgcodecs.imwrite(dir.resolve(name).resolve(i + ".png").toString(),
                        new Mat(6, 8, CvType.CV_8UC3, new Scalar(10 * i, name.length() * 20, 200)));
            }
        }
        Files.writeString(dir.resolve("dog/broken.png"), "not a png");
        Imgcodecs.imwrite(dir.resolve("unsorted.png").toString(), new Mat(6, 8, CvType.CV_8UC3, new Scalar(1, 2, 3)));
        FolderSource source = new FolderSource(dir, 0, 10);
        List<Frame> frames = ingest("folder", source, 7);
        assertEquals(1, source.decodeErrors(), "the broken file is counted and skipped");
        assertEquals(java.util.Arrays.asList("cat", "cat", "cat", "dog", "dog", "dog", null), frames.stream().map(Frame::getTruth).toList(),
                "an image beside the class folders has no truth");
        byte[] pixels = bytes(frames.get(4).getPixels());
        assertEquals(6 * 8 * 3, pixels.length);
        assertArrayEquals(new byte[] {10, 60, (byte) 200}, java.util.Arrays.copyOf(pixels, 3), "BGR of dog/1.png");
    }

    @Test
    void anMjpegVideoArrivesFrameByFrameInOrder(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path video = dir.resolve("clip.avi");
        List<Mat> written = new ArrayList<>();
        VideoWriter writer = new VideoWriter(video.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 20, new Size(64, 48), true);
        assertTrue(writer.isOpened(), "OpenCV writes MJPEG AVI");
        for (int i = 0; i < 12; i++) {
            Mat frame = new Mat(48, 64, CvType.CV_8UC3, new Scalar(20 * i, 100, 255 - 20 * i));
            Imgproc.rectangle(frame, new Point(4 * i, 10), new Point(4 * i + 12, 30), new Scalar(255, 255, 255), -1);
            writer.write(frame);
            written.add(frame);
        }
        writer.release();

        List<Frame> frames = ingest("video", new VideoFileSource(video, 1_000_000), 12);
        for (int i = 0; i < 12; i++) {
            Frame frame = frames.get(i);
            assertEquals(i, frame.getSequence());
            assertEquals(1_000_000 + i * 50L, frame.getCaptureTime().toEpochMilli(), "frame " + i + " at 20 fps");
            byte[] expected = new byte[64 * 48 * 3];
            written.get(i).get(0, 0, expected);
            assertTrue(meanAbsoluteDifference(expected, bytes(frame.getPixels())) < 6,
                    "frame " + i + " decodes to what was written, within JPEG's loss");
        }
    }

    @Test
    void aGridImageArrivesCellByCellLabelledByItsRowBlock(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Mat sheet = new Mat(2 * 8, 3 * 8, CvType.CV_8UC1);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                sheet.submat(r * 8, r * 8 + 8, c * 8, c * 8 + 8).setTo(new Scalar(40 * r + 10 * c));
            }
        }
        Path grid = dir.resolve("grid.png");
        Imgcodecs.imwrite(grid.toString(), sheet);
        CameraConfig camera = CameraConfig.builder("grid", grid.toString()).cell("8x8").rowsPerLabel(1).build();
        List<Frame> frames = ingest("grid", dev.framestream.ingest.sources.Sources.open(camera), 6);
        assertEquals(List.of("0", "0", "0", "1", "1", "1"), frames.stream().map(Frame::getTruth).toList());
        assertEquals(64, frames.get(5).getPixels().remaining());
        assertEquals(60, bytes(frames.get(5).getPixels())[0], "row 1, column 2: 40 + 2 x 10");

        CameraConfig shuffled = CameraConfig.builder("grid", grid.toString()).cell("8x8").rowsPerLabel(1).seed(7).loop(true).shuffle(true)
                .build();
        List<String> twice = new ArrayList<>();
        try (FrameSource source = dev.framestream.ingest.sources.Sources.open(shuffled)) {
            for (int i = 0; i < 12; i++) {
                var frame = source.next().orElseThrow();
                twice.add(frame.truth() + "/" + frame.image().pixels()[0]);
            }
        }
        List<String> inOrder = frames.stream().map(f -> f.getTruth() + "/" + bytes(f.getPixels())[0]).toList();
        assertEquals(inOrder.stream().sorted().toList(), twice.subList(0, 6).stream().sorted().toList(),
                "--shuffle plays every cell once per pass, each with its own label");
        assertEquals(inOrder.stream().sorted().toList(), twice.subList(6, 12).stream().sorted().toList());
        assertNotEquals(twice.subList(0, 6), twice.subList(6, 12), "each loop draws a new order");
    }

    /** OpenCV's reader moves past a frame whose JPEG has no start marker: it is counted and the video goes on. */
    @Test
    void aCorruptFrameInsideAVideoIsCountedAndSkipped(@TempDir Path dir) throws Exception {
        OpenCv.load();
        Path video = dir.resolve("clip.avi");
        VideoWriter writer = new VideoWriter(video.toString(), VideoWriter.fourcc('M', 'J', 'P', 'G'), 10, new Size(32, 32), true);
        for (int i = 0; i < 10; i++) {
            writer.write(new Mat(32, 32, CvType.CV_8UC3, new Scalar(20 * i, 50, 90)));
        }
        writer.release();
        byte[] bytes = Files.readAllBytes(video);
        int seen = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0xD8 && seen++ == 4) {
                bytes[i] = 0;                     // frame 4 loses its JPEG start-of-image marker
                bytes[i + 1] = 0;
                break;
            }
        }
        Files.write(video, bytes);
        try (VideoFileSource source = new VideoFileSource(video, 0)) {
            List<Long> times = new ArrayList<>();
            while (true) {
                var frame = source.next();
                if (frame.isEmpty()) {
                    break;
                }
                times.add(frame.get().captureTime());
            }
            assertEquals(List.of(0L, 100L, 200L, 300L, 500L, 600L, 700L, 800L, 900L), times, "frame 4 skipped, the rest in their places");
            assertEquals(1, source.decodeErrors());
        }
    }

    @Test
    void aVideoOpenCvCannotReadSaysWhatToUse(@TempDir Path dir) throws Exception {
        Path notVideo = Files.writeString(dir.resolve("clip.mp4"), "not a video");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new VideoFileSource(notVideo, 0));
        assertTrue(error.getMessage().contains("ffmpeg"), error.getMessage());
    }

    @Test
    void aCameraThatIsNotThereSaysWhichDeviceItTried() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> dev.framestream.ingest.sources.Sources.open(CameraConfig.defaults("webcam", "camera:63")));
        assertTrue(error.getMessage().contains("/dev/video63"), error.getMessage());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> dev.framestream.ingest.sources.Sources.open(CameraConfig.defaults("webcam", "camera:front")));
        assertTrue(typo.getMessage().contains("camera:N"), typo.getMessage());
    }

    private static List<Frame> ingest(String camera, FrameSource source, int expected) throws InterruptedException {
        try (FramePublisher publisher = new FramePublisher(Map.of("bootstrap.servers", broker.bootstrapServers()),
                TopicNames.FRAMES, TopicNames.FRAMES_LABELLED); source) {
            assertEquals(expected, new CameraIngest(camera, publisher, CameraSettings.plain()).run(source, -1, n -> { }).read());
        }
        try (KafkaConsumer<String, Frame> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + camera,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerde.frame().deserializer())) {
            consumer.subscribe(List.of(TopicNames.FRAMES));
            List<Frame> frames = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && frames.size() < expected) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key().equals(camera)) {
                        frames.add(r.value());
                    }
                });
            }
            assertEquals(expected, frames.size(), "frames of camera " + camera);
            return frames;
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static double meanAbsoluteDifference(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }
}
