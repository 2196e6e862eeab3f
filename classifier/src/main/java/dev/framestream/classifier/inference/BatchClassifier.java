package dev.framestream.classifier.inference;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import dev.framestream.classifier.ClassifierMetrics;
import dev.framestream.classifier.Outcome;
import dev.framestream.classifier.PendingFrame;
import dev.framestream.engine.tensor.Shape;
import dev.framestream.engine.tensor.Tensor;
import dev.framestream.model.FrameImages;
import dev.framestream.model.InputFit;
import dev.framestream.model.Model;
import dev.framestream.model.Preprocessing;
import dev.framestream.schemas.Classification;
import dev.framestream.schemas.DeadLetters;
import dev.framestream.schemas.Frame;
import dev.framestream.schemas.FrameChecks;

/**
 * Runs one micro-batch through one model version: each frame is checked against the model's input,
 * preprocessed (in parallel on the engine's pool) into the batch tensor, and the whole batch goes
 * through the engine in one call. Returns one outcome per frame, in the batch's order: a
 * classification, or a dead letter for a frame that does not fit the model. It runs one batch at a
 * time, in the version's one workspace: the {@link InferenceQueue} thread is its only caller.
 */
public final class BatchClassifier {
    private final int topK;
    private final boolean exactSize;
    private final ClassifierMetrics metrics;
    private final LongSupplier wallClock;

    /** @param wallClock milliseconds since the epoch, for the classified time */
    public BatchClassifier(int topK, boolean exactSize, ClassifierMetrics metrics, LongSupplier wallClock) {
        this.topK = topK;
        this.exactSize = exactSize;
        this.metrics = metrics;
        this.wallClock = wallClock;
    }

    public List<Outcome> classify(List<PendingFrame> batch, ServingModel serving) {
        Model model = serving.model();
        Outcome[] outcomes = new Outcome[batch.size()];
        Frame[] frames = new Frame[batch.size()];
        int[] rows = new int[batch.size()];
        int accepted = 0;
        for (int i = 0; i < batch.size(); i++) {
            PendingFrame pending = batch.get(i);
            frames[i] = pending.frame();
            Optional<FrameChecks.Problem> problem = InputFit.problem(frames[i], model, exactSize);
            if (problem.isPresent()) {
                outcomes[i] = new Outcome.Refused(DeadLetters.of(ClassifierMetrics.SERVICE, pending.origin(), problem.get().reason(),
                        problem.get().message(), pending.key(), pending.value(), Instant.ofEpochMilli(wallClock.getAsLong())));
            } else {
                rows[accepted++] = i;
            }
        }
        if (accepted > 0) {
            classifyAccepted(serving, frames, rows, accepted, outcomes);
        }
        return List.of(outcomes);
    }

    private void classifyAccepted(ServingModel serving, Frame[] frames, int[] rows, int count, Outcome[] outcomes) {
        Model model = serving.model();
        Preprocessing preprocessing = model.preprocessing();
        Shape input = model.network().inputShape();
        int classes = model.network().outputShape().size();
        ServingModel.Workspace workspace = serving.workspace();
        long start = System.nanoTime();
        serving.pool().parallelFor(count, (j, slot) -> preprocessing.apply(FrameImages.image(frames[rows[j]]), workspace.input(), j * input.size()));
        long preprocessed = System.nanoTime();
        Tensor output = workspace.inference().forward(new Tensor(count, input, workspace.input()));
        long end = System.nanoTime();
        metrics.batchRan(count, preprocessed - start, end - preprocessed);
        long classified = wallClock.getAsLong();
        for (int j = 0; j < count; j++) {
            Frame frame = frames[rows[j]];
            Classification verdict = Classification.newBuilder()
                    .setCameraId(frame.getCameraId())
                    .setSequence(frame.getSequence())
                    .setCaptureTime(frame.getCaptureTime())
                    .setClassifiedTime(Instant.ofEpochMilli(classified))
                    .setModelName(model.name())
                    .setModelVersion(model.version())
                    .setWeightsSha256(serving.sha256())
                    .setTop(TopK.of(output.data(), output.offset(j), classes, model.classNames(), topK, !serving.endsInSoftmax()))
                    .setTruth(frame.getTruth())
                    .build();
            metrics.classified(frame.getCameraId(), classified - frame.getCaptureTime().toEpochMilli());
            String truth = frame.getTruth();
            if (truth != null && model.classNames().contains(truth)) {
                metrics.scored(verdict.getTop().getFirst().getLabel().equals(truth));
            }
            outcomes[rows[j]] = new Outcome.Classified(verdict);
        }
    }
}
