package org.bonexray.model.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bonexray.model.DenseNetVariant;
import org.bonexray.model.TestNets;
import org.junit.jupiter.api.Test;

class TorchvisionNamesTest {
    @Test
    void djlNamesBecomeTorchvisionKeys() {
        assertEquals("features.denseblock1.denselayer1.norm1.weight",
                TorchvisionNames.toTorchvision("01features_05denseblock1_01denselayer1_01norm1_gamma"));
        assertEquals("features.norm5.bias", TorchvisionNames.toTorchvision("01features_12norm5_beta"));
        assertEquals("features.transition1.norm.running_mean",
                TorchvisionNames.toTorchvision("01features_06transition1_01norm_runningMean"));
        assertEquals("features.norm0.running_var", TorchvisionNames.toTorchvision("01features_02norm0_runningVar"));
        assertEquals("features.conv0.weight", TorchvisionNames.toTorchvision("01features_01conv0_weight"));
        assertEquals("classifier.bias", TorchvisionNames.toTorchvision("04classifier_bias"));
        assertThrows(IllegalArgumentException.class, () -> TorchvisionNames.toTorchvision("01features_02_weight"));
    }

    @Test
    void legacyDenseLayerKeysAreModernised() {
        assertEquals("features.denseblock2.denselayer11.norm1.running_mean",
                TorchvisionNames.modernize("features.denseblock2.denselayer11.norm.1.running_mean"));
        assertEquals("features.denseblock1.denselayer1.conv2.weight",
                TorchvisionNames.modernize("features.denseblock1.denselayer1.conv.2.weight"));
        assertEquals("features.transition1.norm.weight", TorchvisionNames.modernize("features.transition1.norm.weight"));
        assertEquals("features.denseblock1.denselayer1.norm1.weight",
                TorchvisionNames.modernize("features.denseblock1.denselayer1.norm1.weight"));
    }

    @Test
    void batchCountersAreIgnored() {
        assertTrue(TorchvisionNames.isIgnored("features.norm0.num_batches_tracked"));
        assertFalse(TorchvisionNames.isIgnored("features.norm0.running_var"));
    }

    @Test
    void reverseTranslationUsesTheBlock() {
        var names = TorchvisionNames.djlNamesByKey(TestNets.torchvisionClassifier(DenseNetVariant.TINY, 3));
        assertEquals("01features_05denseblock1_01denselayer1_01norm1_gamma",
                names.get("features.denseblock1.denselayer1.norm1.weight"));
        assertEquals("04classifier_weight", names.get("classifier.weight"));
    }
}
