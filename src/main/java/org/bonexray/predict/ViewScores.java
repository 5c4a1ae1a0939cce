package org.bonexray.predict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The probabilities of a batch of views: the model's (the mean of its members' probabilities, then its temperature)
 * and each member's (with the same temperature), for the members' spread. A single network is a model of one member.
 *
 * @param model one probability per view
 * @param members per member, one probability per view
 */
public record ViewScores(double[] model, double[][] members) {
    /**
     * @param raw per member, each view's uncalibrated probability
     * @param temperature the model's temperature ({@link Temperature#scale})
     * @return the calibrated scores
     */
    public static ViewScores of(double[][] raw, double temperature) {
        double[] mean = mean(raw);
        double[][] members = new double[raw.length][mean.length];
        for (int m = 0; m < raw.length; m++) {
            for (int i = 0; i < mean.length; i++) {
                members[m][i] = Temperature.scale(raw[m][i], temperature);
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] = Temperature.scale(mean[i], temperature);
        }
        return new ViewScores(mean, members);
    }

    /**
     * @param members per member, one probability per view (NaN stays NaN: an image the dataset skipped)
     * @return the members' mean probability of each view, the one definition of an ensemble's prediction
     */
    public static double[] mean(double[][] members) {
        double[] mean = new double[members[0].length];
        for (double[] member : members) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += member[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= members.length;
        }
        return mean;
    }

    /** @return how many views */
    public int size() {
        return model.length;
    }

    /** @return the model's probabilities as a list */
    public List<Double> probabilities() {
        List<Double> out = new ArrayList<>(model.length);
        for (double p : model) {
            out.add(p);
        }
        return out;
    }

    /** @return the views {@code from} (inclusive) to {@code to} (exclusive), as a batch of their own */
    public ViewScores slice(int from, int to) {
        double[][] parts = new double[members.length][];
        for (int m = 0; m < members.length; m++) {
            parts[m] = Arrays.copyOfRange(members[m], from, to);
        }
        return new ViewScores(Arrays.copyOfRange(model, from, to), parts);
    }
}
