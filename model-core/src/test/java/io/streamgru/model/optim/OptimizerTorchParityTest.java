package io.streamgru.model.optim;

import static io.streamgru.model.optim.TorchFixtures.assertAgrees;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer, driven by a schedule parsed from its CLI spec, follows torch.optim's float64
 * trajectory step for step (fixtures from make_optimizer_fixtures.py).
 */
class OptimizerTorchParityTest {

    static Stream<TorchFixtures.Case> trajectories() {
        return TorchFixtures.trajectories();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trajectories")
    void followsTheTorchTrajectoryWithTheScheduledRates(TorchFixtures.Case fixture) {
        double[] params = fixture.first("initial").numbers();
        Optimizer optimizer = fixture.optimizer(params.length);
        LearningRateSchedule schedule = fixture.schedule();
        List<TorchFixtures.Line> rates = fixture.all("lr");
        List<TorchFixtures.Line> grads = fixture.all("grad");
        List<TorchFixtures.Line> after = fixture.all("params");
        assertThat(grads).hasSameSizeAs(rates).hasSameSizeAs(after).isNotEmpty();

        for (int k = 0; k < grads.size(); k++) {
            double rate = schedule.rate(optimizer.steps());
            assertAgrees(rate, rates.get(k).number(0), "rate of step " + k);

            double[] grad = grads.get(k).numbers();
            double[] gradBefore = grad.clone();
            optimizer.step(params, grad, rate);

            assertAgrees(params, after.get(k).numbers(), "params after step " + k);
            assertThat(grad).as("the gradient is read only").isEqualTo(gradBefore);
        }
        assertThat(optimizer.steps()).isEqualTo(grads.size());
    }
}
