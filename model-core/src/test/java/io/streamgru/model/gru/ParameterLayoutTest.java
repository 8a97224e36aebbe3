package io.streamgru.model.gru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterLayoutTest {

    @Test
    void twoLayerLinearHeadUsesPyTorchNamesShapesAndOrder() {
        ParameterLayout layout = new ParameterLayout(GruConfig.linear(8, 4, 2, 1));

        assertThat(layout.tensors()).extracting(TensorView::name).containsExactly(
                "gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0", "gru.bias_hh_l0",
                "gru.weight_ih_l1", "gru.weight_hh_l1", "gru.bias_ih_l1", "gru.bias_hh_l1",
                "head.weight", "head.bias");
        assertThat(layout.tensor("gru.weight_ih_l0").shape()).containsExactly(12, 8);
        assertThat(layout.tensor("gru.weight_ih_l1").shape()).containsExactly(12, 4);
        assertThat(layout.tensor("head.weight").shape()).containsExactly(1, 4);
        int expected = (12 * 8 + 12 * 4 + 24) + (12 * 4 + 12 * 4 + 24) + 4 + 1;
        assertThat(layout.size()).isEqualTo(expected);
    }

    @Test
    void tensorsTileTheFlatArrayWithoutGaps() {
        ParameterLayout layout = new ParameterLayout(GruConfig.mlp(3, 5, 3, 2, 7));
        List<TensorView> tensors = layout.tensors();
        int next = 0;
        for (TensorView t : tensors) {
            assertThat(t.offset()).as(t.name()).isEqualTo(next);
            next += t.size();
        }
        assertThat(next).isEqualTo(layout.size());
        assertThat(layout.tensor("head.2.weight").shape()).containsExactly(2, 7);
        assertThat(layout.head2Bias()).isEqualTo(layout.tensor("head.2.bias").offset());
    }

    @Test
    void pyTorchCountForTheReferenceModelIs14273() {
        // REFERENCE.md: I=8, H=64, one layer, linear head to one output has 14,273 parameters.
        assertThat(new ParameterLayout(GruConfig.linear(8, 64, 1, 1)).size()).isEqualTo(14_273);
    }

    @Test
    void unknownNameIsAClearError() {
        ParameterLayout layout = new ParameterLayout(GruConfig.linear(1, 2, 1, 1));
        assertThatThrownBy(() -> layout.tensor("gru.weight_ih_l1"))
                .hasMessageContaining("no parameter named 'gru.weight_ih_l1'");
    }
}
