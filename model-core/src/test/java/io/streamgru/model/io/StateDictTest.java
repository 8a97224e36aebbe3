package io.streamgru.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamgru.model.gru.GruConfig;
import io.streamgru.model.gru.ParameterLayout;
import io.streamgru.model.gru.TensorView;
import io.streamgru.model.init.ParameterInitializer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictTest {

    private static final ParameterLayout MLP = new ParameterLayout(GruConfig.mlp(4, 6, 3, 2, 5));

    @Test
    void toTensorsGivesOneCopiedTensorPerLayoutEntryInStateDictOrder() {
        double[] params = ParameterInitializer.PYTORCH_DEFAULT.initialize(MLP, 1L);
        List<Tensor> tensors = StateDict.toTensors(MLP, params);

        assertThat(tensors).extracting(Tensor::name)
                .containsExactly(MLP.tensors().stream().map(TensorView::name).toArray(String[]::new));
        for (int i = 0; i < tensors.size(); i++) {
            TensorView view = MLP.tensors().get(i);
            assertThat(tensors.get(i).shape()).containsExactly(view.shape());
            assertThat(tensors.get(i).dtype()).isEqualTo(DType.F64);
            assertThat(tensors.get(i).data()[0]).isEqualTo(params[view.offset()]);
        }
        double before = tensors.get(0).data()[0];
        params[0] += 1;
        assertThat(tensors.get(0).data()[0]).isEqualTo(before);
        assertThat(StateDict.toTensors(MLP, params, DType.F32)).allMatch(t -> t.dtype() == DType.F32);
    }

    @Test
    void fromTensorsInvertsToTensorsBitForBit() {
        double[] params = ParameterInitializer.ORTHOGONAL.initialize(MLP, 2L);
        double[] back = StateDict.fromTensors(MLP, byName(StateDict.toTensors(MLP, params)));
        assertThat(back).isEqualTo(params).isNotSameAs(params);
    }

    @Test
    void aModelWrittenAsF32LoadsBackWithinFloatPrecision() throws Exception {
        double[] params = ParameterInitializer.XAVIER.initialize(MLP, 3L);
        byte[] bytes = SafetensorsWriter.toBytes(StateDict.toTensors(MLP, params, DType.F32), Map.of());
        SafetensorsFile file = SafetensorsReader.read(bytes);

        assertThat(StateDict.inferConfig(file.tensors())).isEqualTo(MLP.config());
        double[] back = StateDict.fromTensors(MLP, file.tensors());
        for (int i = 0; i < params.length; i++) {
            assertThat(back[i]).isEqualTo((double) (float) params[i]);
        }
    }

    @Test
    void everyMissingMisshapedAndUnexpectedTensorIsListedInOneError() {
        Map<String, Tensor> tensors = byName(StateDict.toTensors(MLP, new double[MLP.size()]));
        tensors.remove("gru.bias_hh_l2");
        tensors.put("head.0.bias", new Tensor("head.0.bias", DType.F64, new int[] {1, 5}, new double[5]));
        tensors.put("gru.weight_ih_l0_reverse", new Tensor("gru.weight_ih_l0_reverse", DType.F64, new int[] {18, 4}, new double[72]));

        assertThatThrownBy(() -> StateDict.fromTensors(MLP, tensors))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing gru.bias_hh_l2[18]")
                .hasMessageContaining("head.0.bias has shape [1, 5], expected [5]")
                .hasMessageContaining("unexpected gru.weight_ih_l0_reverse[18, 4]");
    }

    @Test
    void inferConfigRecognisesLinearAndMlpHeadsAndCountsLayers() {
        for (GruConfig config : List.of(GruConfig.linear(8, 64, 1, 1), GruConfig.linear(1, 2, 4, 3), MLP.config())) {
            ParameterLayout layout = new ParameterLayout(config);
            assertThat(StateDict.inferConfig(byName(StateDict.toTensors(layout, new double[layout.size()]))))
                    .isEqualTo(config);
        }
    }

    @Test
    void inferConfigExplainsWhatItCouldNotFind() {
        Map<String, Tensor> linear = byName(StateDict.toTensors(new ParameterLayout(GruConfig.linear(2, 3, 1, 1)), new double[3 * 3 * 2 + 27 + 18 + 4]));

        Map<String, Tensor> noGru = new LinkedHashMap<>(linear);
        noGru.remove("gru.weight_ih_l0");
        assertThatThrownBy(() -> StateDict.inferConfig(noGru)).hasMessageContaining("expected 'gru.weight_ih_l0'")
                .hasMessageContaining("no such tensor");

        Map<String, Tensor> noHead = new LinkedHashMap<>(linear);
        noHead.remove("head.weight");
        assertThatThrownBy(() -> StateDict.inferConfig(noHead)).hasMessageContaining("expected a head");

        Map<String, Tensor> badHidden = new LinkedHashMap<>(linear);
        badHidden.put("gru.weight_hh_l0", new Tensor("gru.weight_hh_l0", DType.F64, new int[] {9, 4}, new double[36]));
        assertThatThrownBy(() -> StateDict.inferConfig(badHidden))
                .hasMessageContaining("gru.weight_hh_l0 has shape [9, 4], expected [9, 3]");

        Map<String, Tensor> bidirectional = new LinkedHashMap<>(linear);
        bidirectional.put("gru.bias_hh_l0_reverse", new Tensor("gru.bias_hh_l0_reverse", DType.F64, new int[] {9}, new double[9]));
        assertThatThrownBy(() -> StateDict.inferConfig(bidirectional)).hasMessageContaining("bidirectional");
    }

    private static Map<String, Tensor> byName(List<Tensor> tensors) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        tensors.forEach(t -> map.put(t.name(), t));
        return map;
    }
}
