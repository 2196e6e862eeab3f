package dev.framestream.engine.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.framestream.engine.layers.Parameter;

/** Each optimiser's update and each schedule against the formulas written out by hand. */
class OptimizerTest {

    private static Parameter weight(float... values) {
        return new Parameter("w.weight", new int[] {1, values.length}, values);
    }

    private static void step(Optimizer optimizer, Parameter parameter, float[] gradient, float rate) {
        optimizer.beginStep();
        optimizer.update(0, parameter, gradient, 0, parameter.size(), rate, 1f);
    }

    @Test
    void kindsGoByTheirCommandLineNamesAndMakeTheirOptimiser() {
        assertEquals("sgd momentum 0.9 decay 5.0E-4", OptimizerKind.SGD.create(0.9, OptimizerKind.SGD.defaultWeightDecay()).toString());
        assertEquals("sgd momentum 0.9 nesterov decay 0.0", OptimizerKind.NESTEROV.create(0.9, 0).toString());
        assertEquals("adam decay 5.0E-4", OptimizerKind.ADAM.create(0.9, OptimizerKind.ADAM.defaultWeightDecay()).toString());
        assertEquals("adamw decay 0.05", OptimizerKind.ADAMW.create(0.9, OptimizerKind.ADAMW.defaultWeightDecay()).toString());
        assertEquals("adamw", OptimizerKind.ADAMW.toString());
    }

    @Test
    void sgdWithMomentumAndDecayFollowsTheVelocityFormula() {
        Parameter w = weight(1f);
        Sgd sgd = new Sgd(0.5, false, 0.1);
        sgd.attach(List.of(w));
        step(sgd, w, new float[] {2f}, 0.1f);          // g = 2 + 0.1 = 2.1, v = 2.1, w = 1 - 0.21
        assertEquals(0.79f, w.values()[0], 1e-6);
        step(sgd, w, new float[] {2f}, 0.1f);          // g = 2.079, v = 1.05 + 2.079 = 3.129
        assertEquals(0.79f - 0.3129f, w.values()[0], 1e-6);
    }

    @Test
    void nesterovLooksAheadByTheMomentum() {
        Parameter w = weight(0f);
        Sgd sgd = new Sgd(0.9, true, 0);
        sgd.attach(List.of(w));
        step(sgd, w, new float[] {1f}, 1f);            // v = 1, step = g + 0.9 v = 1.9
        assertEquals(-1.9f, w.values()[0], 1e-6);
        step(sgd, w, new float[] {1f}, 1f);            // v = 1.9, step = 1 + 1.71 = 2.71
        assertEquals(-4.61f, w.values()[0], 1e-5);
    }

    @Test
    void adamsFirstStepIsTheRateTimesTheGradientsSign() {
        Parameter w = weight(1f, 1f);
        Adam adam = Adam.withDecay(0, false);
        adam.attach(List.of(w));
        step(adam, w, new float[] {0.003f, -40f}, 0.01f);
        assertEquals(0.99f, w.values()[0], 1e-5);
        assertEquals(1.01f, w.values()[1], 1e-5);
    }

    @Test
    void decoupledDecayShrinksWeightsButNotBiases() {
        Parameter w = weight(2f);
        Parameter b = new Parameter("w.bias", new int[] {1}, new float[] {2f});
        Adam adamw = Adam.withDecay(0.5, true);
        adamw.attach(List.of(w, b));
        adamw.beginStep();
        adamw.update(0, w, new float[] {0f}, 0, 1, 0.1f, 1f);
        adamw.update(1, b, new float[] {0f}, 0, 1, 0.1f, 1f);
        assertEquals(2f * (1 - 0.1f * 0.5f), w.values()[0], 1e-6);
        assertEquals(2f, b.values()[0], 0f);
    }

    @Test
    void schedulesWarmUpThenDecay() {
        LearningRateSchedule cosine = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1.0, 4, 104, 1, 1);
        assertEquals(0.2, cosine.rate(0), 1e-12);
        assertEquals(1.0, cosine.rate(4), 1e-12);
        assertEquals(0.5, cosine.rate(54), 1e-12);
        assertEquals(0.0, cosine.rate(104), 1e-12);
        LearningRateSchedule step = new LearningRateSchedule(LearningRateSchedule.Kind.STEP, 1.0, 0, 100, 10, 0.1);
        assertEquals(1.0, step.rate(9), 1e-12);
        assertEquals(0.01, step.rate(25), 1e-12);
        assertEquals(0.3, LearningRateSchedule.constant(0.3).rate(1_000_000), 0);
    }
}
