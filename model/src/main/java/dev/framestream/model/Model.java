package dev.framestream.model;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

import dev.framestream.engine.Network;

/**
 * A trained model as the services share it: the network with its weights, what its outputs mean,
 * how pixels become its input, and where it came from. One version of it is one
 * {@code ModelWeights} record, on the {@code model.weights} topic or in a model file
 * ({@link ModelFile}).
 */
public record Model(String name, long version, OptionalLong parentVersion, Instant created, Network network,
                    List<String> classNames, Preprocessing preprocessing, TrainingSummary summary) {

    public Model {
        classNames = List.copyOf(classNames);
        if (name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        if (version < 1) {
            throw new IllegalArgumentException("model versions start at 1, got " + version);
        }
        if (classNames.size() != network.outputShape().size()) {
            throw new IllegalArgumentException("model " + name + " has " + network.outputShape().size() + " outputs but "
                    + classNames.size() + " class names " + classNames);
        }
        if (!preprocessing.shape().equals(network.inputShape())) {
            throw new IllegalArgumentException("model " + name + ": preprocessing makes " + preprocessing.shape()
                    + " but the network takes " + network.inputShape());
        }
    }

    /**
     * Version 1 of a model not trained yet: {@code network} with the weights it has now, pixels
     * scaled to 0..1 and framed by a border of {@code border} pixels.
     */
    public static Model untrained(String name, Network network, List<String> classNames, int border) {
        return new Model(name, 1, OptionalLong.empty(), Instant.now(), network, classNames,
                Preprocessing.unitScale(network.inputShape()).withBorder(border), TrainingSummary.none());
    }

    /** "0", "1", ... for {@code count} classes: how digit sets, IDX files without names and the synthetic camera label. */
    public static List<String> numberedClasses(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString).toList();
    }

    /** The same model under another name (a model file trained as one name, published as another). */
    public Model named(String newName) {
        return newName.equals(name) ? this : new Model(newName, version, parentVersion, created, network, classNames, preprocessing, summary);
    }
}
