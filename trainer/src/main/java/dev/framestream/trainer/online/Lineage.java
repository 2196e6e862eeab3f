package dev.framestream.trainer.online;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;

import dev.framestream.model.Model;
import dev.framestream.model.OffsetRange;

/**
 * The input offsets each version records: what was consumed since its parent, so the versions of
 * a model together account for every labelled frame, across checkpoints the gate kept back and
 * across restarts.
 */
final class Lineage {

    private Lineage() {
    }

    /** From {@code start} to {@code positions}, for every partition (an empty range too, so the next trainer knows where each ends). */
    static List<OffsetRange> since(Map<TopicPartition, Long> start, Map<TopicPartition, Long> positions) {
        List<OffsetRange> ranges = new ArrayList<>();
        positions.forEach((partition, to) -> ranges.add(new OffsetRange(partition.topic(), partition.partition(), start.get(partition), to)));
        return ranges;
    }

    /**
     * Where the next version's ranges start: where the resumed version's ended, so frames consumed
     * and committed under challengers the gate kept back before a restart stay in the lineage (they
     * are in the replay buffer through the read-back); without one, where consuming resumes.
     */
    static Map<TopicPartition, Long> continuing(Optional<Model> resumed, Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> start = new LinkedHashMap<>(positions);
        resumed.ifPresent(version -> version.summary().offsetRanges().forEach(range -> {
            TopicPartition partition = new TopicPartition(range.topic(), range.partition());
            if (start.containsKey(partition) && range.to() <= start.get(partition)) {
                start.put(partition, range.to());
            }
        }));
        return start;
    }
}
