package dev.framestream.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.framestream.engine.Network;
import dev.framestream.engine.kernels.Kernels;
import dev.framestream.engine.parallel.WorkerPool;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;

/**
 * Runs the ONNX project's backend test cases (a folder per case: {@code model.onnx} and
 * {@code test_data_set_N/input_K.pb, output_0.pb}) through import and the engine, and compares
 * with the expected outputs as ONNX's own runner does: {@code |got - expected| <= atol + rtol·|expected|}.
 *
 * <p>A node test passes its weights as graph inputs; they become constants here, the first being
 * the data. A case the import refuses as unsupported is skipped with the reason; a case that
 * imports but computes a wrong value, or that import calls malformed, fails.
 */
public final class BackendConformance {

    /** ONNX's backend test tolerances. */
    public static final double RTOL = 1e-3;
    public static final double ATOL = 1e-7;

    /** How one case went. */
    public enum Outcome {
        PASSED,
        FAILED,
        SKIPPED
    }

    /** One case's result; {@code detail} says why it failed or was skipped, or what ran. */
    public record Result(String name, Outcome outcome, String detail) {
    }

    private BackendConformance() {
    }

    /** Every case folder under {@code root} (e.g. {@code .../data/node}), in name order. */
    public static List<Result> runAll(Path root, WorkerPool pool) throws IOException {
        List<Path> cases;
        try (Stream<Path> children = Files.list(root)) {
            cases = children.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))).sorted().toList();
        }
        List<Result> results = new ArrayList<>();
        for (Path directory : cases) {
            results.add(run(directory, pool));
        }
        return results;
    }

    /** One case folder. */
    public static Result run(Path directory, WorkerPool pool) throws IOException {
        String name = directory.getFileName().toString();
        List<Path> dataSets;
        try (Stream<Path> children = Files.list(directory)) {
            dataSets = children.filter(d -> d.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        if (dataSets.isEmpty()) {
            return new Result(name, Outcome.SKIPPED, "no test_data_set folder");
        }
        ModelProto model = OnnxImport.parse(Files.readAllBytes(directory.resolve("model.onnx")), name);
        if (model.getGraph().getOutputCount() != 1) {
            return new Result(name, Outcome.SKIPPED, "the graph has " + model.getGraph().getOutputCount()
                    + " outputs; the engine runs networks with one output");
        }
        String detail = "";
        for (Path dataSet : dataSets) {
            try {
                detail = check(model, dataSet, pool);
            } catch (OnnxException e) {
                return new Result(name, e.kind() == OnnxException.Kind.UNSUPPORTED ? Outcome.SKIPPED : Outcome.FAILED, e.getMessage());
            } catch (AssertionError e) {
                return new Result(name, Outcome.FAILED, dataSet.getFileName() + ": " + e.getMessage());
            } catch (RuntimeException e) {
                return new Result(name, Outcome.FAILED, dataSet.getFileName() + ": " + e);
            }
        }
        return new Result(name, Outcome.PASSED, detail);
    }

    private static String check(ModelProto model, Path dataSet, WorkerPool pool) throws IOException {
        Set<String> initialized = model.getGraph().getInitializerList().stream().map(TensorProto::getName).collect(Collectors.toSet());
        List<String> fedInputs = model.getGraph().getInputList().stream().map(ValueInfoProto::getName)
                .filter(n -> !initialized.contains(n)).toList();
        Map<String, TensorProto> constants = new LinkedHashMap<>();
        TensorProto data = null;
        for (int k = 0; k < fedInputs.size(); k++) {
            TensorProto value = TensorProto.parseFrom(Files.readAllBytes(dataSet.resolve("input_" + k + ".pb")));
            if (k == 0) {
                data = value;
            } else {
                constants.put(fedInputs.get(k), value);
            }
        }
        if (data == null) {
            throw OnnxException.unsupported("the graph has no data input");
        }
        OnnxModel imported = OnnxImport.convert(model, constants, Kernels.best());
        Network network = imported.network();
        int[] dims = Tensors.dims(data);
        Shape shape = network.inputShape();
        int batch = dims.length == 0 ? 1 : dims[0];
        float[] input = Tensors.floats(data);
        if (input.length != batch * shape.size()) {
            throw new AssertionError("input " + Arrays.toString(dims) + " does not fill a batch of " + shape);
        }
        float[] expected = Tensors.floats(TensorProto.parseFrom(Files.readAllBytes(dataSet.resolve("output_0.pb"))));
        Tensor output = network.newInference(pool, batch).forward(new Tensor(batch, shape, input));
        if (output.size() != expected.length) {
            throw new AssertionError("the engine gives " + output.size() + " values, ONNX expects " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(output.data()[i] - expected[i]);
            if (!(error <= ATOL + RTOL * Math.abs(expected[i]))) {
                throw new AssertionError("value " + i + " is " + output.data()[i] + ", ONNX expects " + expected[i]);
            }
            worst = Math.max(worst, error);
        }
        return "\"" + network.spec() + "\", max |error| " + String.format("%.1e", worst);
    }
}
