package dev.framestream.engine;

import java.util.List;
import java.util.SplittableRandom;

import dev.framestream.engine.layers.BatchNorm;
import dev.framestream.engine.layers.Clip;
import dev.framestream.engine.layers.Layer;
import dev.framestream.engine.layers.LeakyRelu;
import dev.framestream.engine.layers.Parameter;
import dev.framestream.engine.layers.Relu;

/**
 * Seeded weight initialisation: He normal for a layer a rectifier follows (ReLU, ReLU6, leaky
 * ReLU, also past a batch normalisation; He et al. 2015, std {@code sqrt(2 / fanIn)}), Xavier
 * uniform otherwise (Glorot and Bengio 2010, limit {@code sqrt(6 / (fanIn + fanOut))}), biases
 * zero; a batch normalisation starts as the identity. Each tensor draws from its own stream
 * derived from the seed and its name, so adding a layer leaves the others' values unchanged.
 */
final class Initialiser {

    private Initialiser() {
    }

    static void initialise(List<Layer> layers, long seed) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof BatchNorm norm) {
                norm.reset();
                continue;
            }
            int next = i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm ? i + 2 : i + 1;
            boolean reluFollows = next < layers.size() && rectifies(layers.get(next));
            for (Parameter parameter : layers.get(i).parameters()) {
                float[] values = parameter.values();
                if (parameter.dims().length == 1) {
                    java.util.Arrays.fill(values, 0f);
                    continue;
                }
                int[] dims = parameter.dims();
                int receptive = 1;
                for (int d = 2; d < dims.length; d++) {
                    receptive *= dims[d];
                }
                int fanIn = dims[1] * receptive;
                int fanOut = dims[0] * receptive;
                SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * parameter.name().hashCode()));
                if (reluFollows) {
                    double std = Math.sqrt(2.0 / fanIn);
                    for (int v = 0; v < values.length; v++) {
                        values[v] = (float) (random.nextGaussian() * std);
                    }
                } else {
                    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                    for (int v = 0; v < values.length; v++) {
                        values[v] = (float) random.nextDouble(-limit, limit);
                    }
                }
            }
        }
    }

    /** Whether the layer passes positive values and cuts negative ones to (about) zero. */
    private static boolean rectifies(Layer layer) {
        return layer instanceof Relu || layer instanceof LeakyRelu || layer instanceof Clip clip && clip.min() == 0f;
    }
}
