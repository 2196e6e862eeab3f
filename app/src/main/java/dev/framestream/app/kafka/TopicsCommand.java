package dev.framestream.app.kafka;

import java.util.List;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import dev.framestream.broker.Topics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code framestream topics create}: the framestream topics on any cluster, idempotently. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage the framestream topics on a Kafka cluster.",
        subcommands = {TopicsCommand.Create.class, CommandLine.HelpCommand.class})
public final class TopicsCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Creates the missing topics with their configs; existing topics are left as they are. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create the framestream topics that do not exist yet (frames, frames.labelled, classifications,",
                    "model.weights, frames.dlq, training.progress) with their configs; existing topics are left as they are."})
    static final class Create implements Callable<Integer> {
        @Mixin
        private KafkaOptions kafka;

        @Option(names = "--partitions", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_PARTITIONS:-3}",
                description = "Partitions of the frame and result topics: the classifier's unit of scale (default: ${DEFAULT-VALUE}).")
        private int partitions;

        @Option(names = "--replication", paramLabel = "N", defaultValue = "${env:FRAMESTREAM_REPLICATION:-1}",
                description = "Replication factor; 3 on a production cluster (default: ${DEFAULT-VALUE}).")
        private short replication;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                List<String> created = Topics.create(admin, partitions, replication);
                System.out.println(created.isEmpty() ? "all framestream topics exist already on " + kafka.bootstrap
                        : "created " + String.join(", ", created) + " on " + kafka.bootstrap);
            }
            return 0;
        }
    }
}
