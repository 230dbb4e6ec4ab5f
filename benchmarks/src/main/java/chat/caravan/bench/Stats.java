package chat.caravan.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of samples (milliseconds). */
public record Stats(int samples, double p50, double p95, double p99, double max, double mean) {

    public static Stats of(double[] values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return new Stats(sorted.length, at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1],
                sum / sorted.length);
    }

    private static double at(double[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "n=%d p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms", samples, p50, p95, p99, max);
    }
}
