package dev.framestream.classifier.streams;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a classifier asks of the cluster before it starts: its topics exist, and its session
 * timeout is one the brokers accept. A member asking for less than the brokers'
 * {@code group.min.session.timeout.ms} (6 s unless set) or more than their
 * {@code group.max.session.timeout.ms} would be refused at its first join, so the timeout is moved
 * inside them, with a warning that says what to change on the brokers. The partitions of a dead
 * instance also wait for the brokers to abort its open transaction, which they look for every
 * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} (10 s unless set); the check
 * says so when that is longer than the session timeout.
 */
final class ClusterCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCheck.class);
    private static final long PATIENCE_SECONDS = 30;
    private static final String MIN = "group.min.session.timeout.ms";
    private static final String MAX = "group.max.session.timeout.ms";
    private static final String ABORT_SWEEP = "transaction.abort.timed.out.transaction.cleanup.interval.ms";

    private ClusterCheck() {
    }

    /** Checks the topics and returns {@code config} with a session timeout inside the brokers' bounds. */
    static ClassifierConfig fit(ClassifierConfig config) throws IOException {
        Object servers = config.client().get("bootstrap.servers");
        try (Admin admin = Admin.create(config.client())) {
            requireTopics(admin, config);
            Duration asked = config.membership().sessionTimeout();
            Config broker = brokerConfig(admin);
            if (broker == null) {
                return config;
            }
            Duration min = millis(broker, MIN, asked);
            Duration max = millis(broker, MAX, asked);
            Duration allowed = asked.compareTo(min) < 0 ? min : asked.compareTo(max) > 0 ? max : asked;
            Duration sweep = millis(broker, ABORT_SWEEP, Duration.ZERO);
            if (sweep.compareTo(allowed) > 0) {
                LOG.info("the brokers abort a dead instance's open transaction up to {} s after it timed out ({}), so the others serve"
                        + " its partitions {} to {} s after it died; lower {} on the brokers to move them sooner", seconds(sweep),
                        ABORT_SWEEP, seconds(allowed), seconds(allowed.plus(sweep)), ABORT_SWEEP);
            }
            if (allowed.equals(asked)) {
                return config;
            }
            LOG.warn("the brokers take session timeouts of {} s to {} s only ({}, {}), so this instance uses {} s instead of {} s: the"
                    + " partitions of an instance that dies move to the others after {} s; change {} on the brokers to allow {} s",
                    seconds(min), seconds(max), MIN, MAX, seconds(allowed), seconds(asked), seconds(allowed),
                    allowed.equals(min) ? MIN : MAX, seconds(asked));
            return config.withMembership(config.membership().withSessionTimeout(allowed));
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof TimeoutException ? "no answer in " + PATIENCE_SECONDS + " s" : e.getMessage();
            throw new IOException("cannot reach Kafka at " + servers + " to check the topics: " + why
                    + "; is the broker up (framestream broker)?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the topics", e);
        }
    }

    private static void requireTopics(Admin admin, ClassifierConfig config) throws ExecutionException, InterruptedException, TimeoutException {
        List<String> needed = List.of(config.settings().framesTopic(), config.settings().classificationsTopic(),
                config.settings().deadLetterTopic(), config.weightsTopic());
        Set<String> existing = admin.listTopics().names().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        List<String> missing = needed.stream().filter(t -> !existing.contains(t)).toList();
        if (!missing.isEmpty()) {
            Object servers = config.client().get("bootstrap.servers");
            throw new IllegalStateException("topic(s) " + missing + " do not exist on " + servers
                    + "; create them with: framestream topics create --bootstrap " + servers);
        }
    }

    /**
     * One broker's configuration (the group settings are the same on all of a healthy cluster),
     * or null when this client may not read it (no DescribeConfigs on the cluster): then the
     * timeout goes as asked, and a broker that refuses it says so at the first join.
     */
    private static Config brokerConfig(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        Node node = admin.describeCluster().nodes().get(PATIENCE_SECONDS, TimeUnit.SECONDS).iterator().next();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
        try {
            return admin.describeConfigs(List.of(resource)).all().get(PATIENCE_SECONDS, TimeUnit.SECONDS).get(resource);
        } catch (ExecutionException e) {
            LOG.info("could not read the brokers' session timeout bounds ({}); asking for the session timeout as configured",
                    e.getCause().toString());
            return null;
        }
    }

    private static Duration millis(Config config, String name, Duration otherwise) {
        ConfigEntry entry = config.get(name);
        return entry == null || entry.value() == null ? otherwise : Duration.ofMillis(Long.parseLong(entry.value()));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f", duration.toMillis() / 1000.0);
    }
}
