package dev.framestream.classifier.streams;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a classifier instance belongs to its consumer group, which decides how fast its partitions
 * move when it dies.
 *
 * <p>A <em>static</em> member (an {@code instanceId}) that restarts takes its partitions back at
 * once, without a rebalance; a <em>dynamic</em> one joins as a stranger and waits for the group to
 * drop its dead predecessor. Either way a dead instance that does not come back keeps its
 * partitions until its {@code sessionTimeout} passes without a heartbeat; only then do the
 * survivors take them. A short timeout moves work quickly after a crash; the price is that an
 * instance that cannot heartbeat for that long (a broker failover, a stall of the whole machine)
 * is dropped and its partitions move, which costs a rebalance but never a frame: exactly once
 * holds across it. Heartbeats run on their own thread, so a long batch does not count.
 *
 * @param instanceId     the static member id, or null for a dynamic member
 * @param sessionTimeout how long without a heartbeat before the group drops the instance
 */
public record GroupMembership(String instanceId, Duration sessionTimeout) {

    /** Short enough that survivors serve a dead instance's partitions within about five seconds. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(3);

    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    public GroupMembership {
        if (instanceId != null && !LEGAL.matcher(instanceId).matches()) {
            throw new IllegalArgumentException("instance id '" + instanceId + "' must be 1 to 200 of the characters a-z A-Z 0-9 . _ -");
        }
        if (sessionTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the session timeout must be at least 1 s, got " + sessionTimeout.toMillis() + " ms");
        }
    }

    /** A static member named {@code instanceId}. */
    public static GroupMembership staticMember(String instanceId, Duration sessionTimeout) {
        return new GroupMembership(instanceId, sessionTimeout);
    }

    /** A member the group knows only while it heartbeats. */
    public static GroupMembership dynamic(Duration sessionTimeout) {
        return new GroupMembership(null, sessionTimeout);
    }

    public boolean isStatic() {
        return instanceId != null;
    }

    /** Heartbeats three times per session timeout, so one lost heartbeat does not drop the instance. */
    public Duration heartbeatInterval() {
        return sessionTimeout.dividedBy(3);
    }

    /**
     * How long a transaction may stay open: as long as the session timeout, so that a dead
     * instance's open transaction is aborted by the broker about when the group drops it.
     */
    public Duration transactionTimeout() {
        return sessionTimeout;
    }

    /** The name that tells this instance apart in logs and in the records it writes: its id, or for a dynamic member its host and process. */
    public String label() {
        return isStatic() ? instanceId : "framestream-" + hostName() + "-pid" + ProcessHandle.current().pid();
    }

    public GroupMembership withSessionTimeout(Duration timeout) {
        return new GroupMembership(instanceId, timeout);
    }

    /**
     * The id an instance gets unless told one: this host and its state directory, which together
     * tell instances apart (two on one host need two state directories) and stay the same when
     * the instance restarts on the same machine.
     *
     * @param stateDir Kafka Streams' state directory, or null for its default
     */
    public static String defaultInstanceId(Path stateDir) {
        Path dir = stateDir != null ? stateDir : Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams");
        return "framestream-" + hostName() + "-" + shortHash(dir.toAbsolutePath().normalize().toString());
    }

    private static String hostName() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
        }
        String legal = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return legal.length() > 100 ? legal.substring(0, 100) : legal;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
