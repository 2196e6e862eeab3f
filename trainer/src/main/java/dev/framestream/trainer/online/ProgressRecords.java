package dev.framestream.trainer.online;

import java.time.Instant;
import java.util.OptionalLong;

import dev.framestream.schemas.TrainingProgress;

/** The training.progress record of where a learner stands: what dashboards and the console show between versions. */
final class ProgressRecords {

    private ProgressRecords() {
    }

    static TrainingProgress of(String modelName, OnlineLearner learner, double learningRate, OptionalLong championVersion) {
        OnlineLearner.Judgement judged = learner.lastJudgement();
        boolean validated = judged != null && judged.challenger() != null;
        return TrainingProgress.newBuilder()
                .setModelName(modelName)
                .setStep(learner.steps())
                .setExamplesSeen(learner.examplesSeen())
                .setLoss(learner.recentLoss())
                .setTrainAccuracy(learner.prequentialAccuracy())
                .setValidationLoss(validated ? judged.challenger().loss() : null)
                .setValidationAccuracy(validated ? judged.challenger().accuracy() : null)
                .setLearningRate(learningRate)
                .setModelVersion(championVersion.isPresent() ? championVersion.getAsLong() : null)
                .setTime(Instant.now())
                .build();
    }
}
