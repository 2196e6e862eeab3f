package dev.framestream.onnx;

import java.util.SplittableRandom;

import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.spec.ArchitectureSpec;
import dev.framestream.engine.tensor.Tensor;

/** Networks with every weight and bias random (a zero bias would hide a bias mix-up), and random batches. */
public final class RandomNetworks {

    private RandomNetworks() {
    }

    public static Network of(String nameOrSpec, long seed) {
        Network network = Network.build(ArchitectureSpec.of(nameOrSpec), Kernels.best());
        network.initialise(seed);
        SplittableRandom random = new SplittableRandom(seed);
        network.parameters().forEach((name, parameter) -> {
            if (name.endsWith(".bias")) {
                float[] bias = new float[parameter.size()];
                for (int i = 0; i < bias.length; i++) {
                    bias[i] = (float) random.nextDouble(-0.1, 0.1);
                }
                network.setWeights(name, bias);
            }
        });
        return network;
    }

    public static Tensor batch(Network network, int batch, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor tensor = Tensor.zeros(batch, network.inputShape());
        for (int i = 0; i < tensor.size(); i++) {
            tensor.data()[i] = (float) random.nextDouble(-1, 1);
        }
        return tensor;
    }

    /** The network's output for a batch, copied out of the inference's buffer. */
    public static float[] forward(Network network, Tensor batch) {
        try (WorkerPool pool = new WorkerPool(2)) {
            Tensor out = network.newInference(pool, batch.batch()).forward(batch);
            return java.util.Arrays.copyOf(out.data(), out.size());
        }
    }
}
