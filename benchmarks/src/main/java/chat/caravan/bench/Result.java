package chat.caravan.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One measured line of a run: scenario, mode, load point, figures, and the baseline's figures beside them. */
public record Result(String scenario, String mode, String load, Map<String, Double> figures) {

    public static Result of(String scenario, String mode, String load) {
        return new Result(scenario, mode, load, new LinkedHashMap<>());
    }

    public Result put(String name, double value) {
        figures.put(name, value);
        return this;
    }

    public Result put(String prefix, Stats stats) {
        figures.put(prefix + "_p50_ms", stats.p50());
        figures.put(prefix + "_p95_ms", stats.p95());
        figures.put(prefix + "_p99_ms", stats.p99());
        figures.put(prefix + "_samples", (double) stats.samples());
        return this;
    }

    @Override
    public String toString() {
        StringBuilder line = new StringBuilder(String.format("%-12s %-14s %-22s", scenario, mode, load));
        figures.forEach((k, v) -> line.append(' ').append(k).append('=').append(String.format(java.util.Locale.ROOT, "%.2f", v)));
        return line.toString();
    }
}
