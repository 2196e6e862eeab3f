package dev.framestream.app.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.framestream.app.cli.FailingRun;
import dev.framestream.app.cli.FramestreamCommand;
import dev.framestream.broker.EmbeddedBroker;
import dev.framestream.broker.Topics;
import dev.framestream.media.Shapes;
import dev.framestream.model.ModelFile;
import dev.framestream.schemas.TopicNames;

/**
 * {@code framestream evaluate} as a user runs it: a model trained here on drawn shapes, replayed
 * from a folder and from topics of the real broker.
 */
class EvaluateCommandIT {
    private static final int PER_CLASS = 40;
    private static final String NET = "in 1x32x32 | conv 8 5x5 | relu | maxpool 2 | flatten | fc 3 | softmax";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path testFolder;
    static Path trained;
    static Path untrained;

    @BeforeAll
    static void trainAModelAndDrawATestSet() throws IOException {
        Shapes.writeFolder(dir.resolve("train"), 150, 32, 1);
        testFolder = dir.resolve("test");
        Shapes.writeFolder(testFolder, PER_CLASS, 32, 2);
        trained = dir.resolve("shapes.fsm");
        untrained = dir.resolve("guess.fsm");
        assertEquals(0, FramestreamCommand.commandLine().execute("train", "--data", dir.resolve("train").toString(), "--net", NET,
                "--epochs", "4", "--out", trained.toString()));
        assertEquals(0, FramestreamCommand.commandLine().execute("train", "--data", dir.resolve("train").toString(), "--net", NET,
                "--epochs", "1", "--lr", "0.00001", "--out", untrained.toString()));
    }

    @Test
    void aReportHasTheExpectedTotalsAConfusionMatrixThatSumsToTheFramesAndIsTheSameEveryRun() throws IOException {
        Path first = dir.resolve("report-1");
        Path second = dir.resolve("report-2");
        for (Path out : new Path[] {first, second}) {
            assertEquals(0, FramestreamCommand.commandLine().execute("evaluate", "--model", trained.toString(), "--source", testFolder.toString(),
                    "--out", out.toString(), "--batch", "16", "--top-k", "2"));
        }
        JsonNode report = JSON.readTree(first.resolve("report.json").toFile());
        assertEquals(3 * PER_CLASS, report.get("frames").asLong());
        JsonNode model = report.get("models").get(0);
        assertEquals("shapes", model.get("name").asText());
        assertEquals(3 * PER_CLASS, model.get("scored").asLong());
        long sum = 0;
        long diagonal = 0;
        JsonNode confusion = model.get("confusion");
        for (int r = 0; r < 3; r++) {
            long row = 0;
            for (int c = 0; c < 3; c++) {
                row += confusion.get(r).get(c).asLong();
            }
            assertEquals(PER_CLASS, row, "each class has its " + PER_CLASS + " frames in its row");
            assertEquals(PER_CLASS, model.get("perClass").get(r).get("support").asLong());
            sum += row;
            diagonal += confusion.get(r).get(r).asLong();
        }
        assertEquals(3 * PER_CLASS, sum, "the confusion matrix sums to the frame count");
        assertEquals(diagonal, model.get("correct").asLong());
        assertEquals((double) diagonal / sum, model.get("accuracy").asDouble(), 1e-12);
        assertTrue(model.get("accuracy").asDouble() > 0.7, "a trained model beats chance (33 %) clearly: " + model.get("accuracy"));
        assertTrue(model.get("topKAccuracy").asDouble() >= model.get("accuracy").asDouble());

        assertEquals(withoutTiming(report), withoutTiming(JSON.readTree(second.resolve("report.json").toFile())),
                "the same replay of the same model gives the same report");
        for (String file : new String[] {"report.md", "confusion-model.png", "accuracy.png"}) {
            assertTrue(Files.size(first.resolve(file)) > 100, file);
        }
        assertTrue(Files.readString(first.resolve("report.md")).contains("| accuracy |"));
    }

    @Test
    void topicsReplayTheSameFramesAndComparingListsEveryDisagreement() throws Exception {
        Path folderReport = dir.resolve("folder");
        assertEquals(0, FramestreamCommand.commandLine().execute("evaluate", "--model", trained.toString(), "--source", testFolder.toString(),
                "--out", folderReport.toString()));
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Topics.create(admin, 2, (short) 1);
            }
            assertEquals(0, FramestreamCommand.commandLine().execute("ingest", "--bootstrap", broker.bootstrapServers(), "--source",
                    testFolder.toString(), "--camera-id", "test-set"));
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (Path file : new Path[] {untrained, trained}) {
                    var model = ModelFile.load(file).named("shapes");
                    var versioned = new dev.framestream.model.Model("shapes", file == trained ? 2 : 1, model.parentVersion(), model.created(),
                            model.network(), model.classNames(), model.preprocessing(), model.summary());
                    producer.send(new ProducerRecord<>(TopicNames.MODEL_WEIGHTS, "shapes".getBytes(StandardCharsets.UTF_8),
                            ModelFile.encode(versioned))).get();
                }
            }
            Path topicReport = dir.resolve("topic");
            assertEquals(0, FramestreamCommand.commandLine().execute("evaluate", "--bootstrap", broker.bootstrapServers(), "--model",
                    "topic:shapes@2", "--compare", "topic:shapes@1", "--source", "topic:" + TopicNames.FRAMES_LABELLED, "--out",
                    topicReport.toString()));
            JsonNode fromFolder = JSON.readTree(folderReport.resolve("report.json").toFile()).get("models").get(0);
            JsonNode report = JSON.readTree(topicReport.resolve("report.json").toFile());
            JsonNode fromTopic = report.get("models").get(0);
            assertEquals(3 * PER_CLASS, report.get("frames").asLong(), "every labelled frame of the topic");
            assertEquals(2, fromTopic.get("version").asLong());
            assertEquals(fromFolder.get("confusion"), fromTopic.get("confusion"), "the same frames and weights, from files or from Kafka");
            JsonNode comparison = report.get("comparison");
            long disagree = comparison.get("disagree").asLong();
            assertEquals(3 * PER_CLASS, comparison.get("bothClassified").asLong());
            assertEquals(3 * PER_CLASS - comparison.get("agree").asLong(), disagree);
            assertEquals(disagree, comparison.get("disagreements").size());
            assertTrue(disagree > 0, "an untrained version disagrees with a trained one somewhere");
            long firstRightOnly = 0;
            for (JsonNode d : comparison.get("disagreements")) {
                assertTrue(d.get("frame").asText().startsWith(TopicNames.FRAMES_LABELLED + "-"), d.toString());
                firstRightOnly += d.get("first").asText().equals(d.get("truth").asText()) ? 1 : 0;
            }
            assertEquals(comparison.get("onlyFirstRight").asLong(), firstRightOnly);

            String partial = "topic:" + TopicNames.FRAMES_LABELLED + "@0..10";
            assertEquals(0, FramestreamCommand.commandLine().execute("evaluate", "--bootstrap", broker.bootstrapServers(), "--model",
                    "topic:shapes", "--source", partial, "--out", dir.resolve("partial").toString()));
            JsonNode ranged = JSON.readTree(dir.resolve("partial").resolve("report.json").toFile());
            assertEquals(10, ranged.get("frames").asLong(), "offsets 0 to 9 of the partition the one camera's frames went to");
            assertEquals(2, ranged.get("models").get(0).get("version").asLong(), "topic:NAME is the newest version");

            assertTrue(FailingRun.stderr("evaluate", "--bootstrap", broker.bootstrapServers(), "--model", "topic:shapes@7", "--source",
                    testFolder.toString(), "--out", dir.resolve("none").toString()).contains("no valid version 7 of model shapes"));
        }
    }

    @Test
    void mistakesAreOneClearLine() {
        assertTrue(FailingRun.stderr("evaluate", "--model", trained.toString(), "--source", "/no/such/video.mp4")
                .contains("--source /no/such/video.mp4 does not exist"));
        assertTrue(FailingRun.stderr("evaluate", "--model", trained.toString(), "--source", "topic:frames@9..3")
                .contains("is empty; TO is exclusive"));
        assertTrue(FailingRun.stderr("evaluate", "--model", "topic:", "--source", testFolder.toString()).contains("--model topic:"));
    }

    private static JsonNode withoutTiming(JsonNode report) {
        ObjectNode copy = report.deepCopy();
        copy.remove("timing");
        return copy;
    }
}
