package chat.caravan.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import javax.imageio.ImageIO;

/** Writes a run's results: results.json, results.csv, and latency-vs-load.png (p99 of the throughput steps). */
public final class ResultsWriter {

    private ResultsWriter() {
    }

    /** Draws a run's plot again from its results.json: {@code ResultsWriter benchmarks/results/<time>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Result> results = new ObjectMapper().readValue(dir.resolve("results.json").toFile(),
                new com.fasterxml.jackson.core.type.TypeReference<List<Result>>() { });
        plot(dir.resolve("latency-vs-load.png"), results);
    }

    public static void write(Path dir, List<Result> results) throws IOException {
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), results);
        TreeSet<String> columns = new TreeSet<>();
        results.forEach(r -> columns.addAll(r.figures().keySet()));
        StringBuilder csv = new StringBuilder("scenario,mode,load," + String.join(",", columns) + "\n");
        for (Result r : results) {
            csv.append(r.scenario()).append(',').append(r.mode()).append(',').append(r.load().replace(',', ' '));
            for (String column : columns) {
                Double value = r.figures().get(column);
                csv.append(',').append(value == null ? "" : String.valueOf(value));
            }
            csv.append('\n');
        }
        Files.writeString(dir.resolve("results.csv"), csv);
        plot(dir.resolve("latency-vs-load.png"), results);
    }

    /** p50 and p99 latency against posting rate, one line per mode, from the throughput steps. */
    static void plot(Path file, List<Result> results) throws IOException {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        // a baseline (raw NATS, the bare relay) runs beside each topology: one line per topology it ran beside
        String topology = "";
        for (Result r : results) {
            if (r.mode().equals("all-in-one") || r.mode().equals("microservices")) {
                topology = r.mode();
            }
            if (!"throughput".equals(r.scenario()) || !r.figures().containsKey("latency_p99_ms")) {
                continue;
            }
            String name = r.mode().equals(topology) ? r.mode() : r.mode() + " (" + topology + " run)";
            double rate = Double.parseDouble(r.load().split(" ")[0]);
            series.computeIfAbsent(name + " p99", k -> new ArrayList<>()).add(new double[] {rate, r.figures().get("latency_p99_ms")});
            series.computeIfAbsent(name + " p50", k -> new ArrayList<>()).add(new double[] {rate, r.figures().get("latency_p50_ms")});
        }
        series.values().forEach(points -> points.sort(java.util.Comparator.comparingDouble(point -> point[0])));
        int width = 1000;
        int height = 560;
        int left = 80;
        int bottom = 60;
        int top = 40;
        int right = 320;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("End-to-end latency against load (throughput scenario)", left, 25);
        // the load axis is logarithmic: raw NATS goes on doubling far past where Caravan stops
        double minX = Double.MAX_VALUE;
        double maxX = 1;
        double maxY = 1;
        for (List<double[]> points : series.values()) {
            for (double[] p : points) {
                minX = Math.min(minX, Math.max(1, p[0]));
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        double logMin = Math.log(Math.min(minX, maxX));
        double logSpan = Math.max(1e-9, Math.log(maxX) - logMin);
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        double scaleY = maxY;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, plotW, plotH);
        for (int i = 0; i <= 5; i++) {
            int y = top + plotH - i * plotH / 5;
            g.drawString(String.format("%.0f ms", maxY * i / 5), 10, y + 4);
            int x = left + i * plotW / 5;
            g.drawString(String.format("%.0f", Math.exp(logMin + logSpan * i / 5)), x - 10, top + plotH + 18);
        }
        g.drawString("messages posted per second (log scale)", left + plotW / 2 - 100, height - 15);
        Color[] palette = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
                new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
                new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0xad494a)};
        int index = 0;
        for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
            Color color = palette[index % palette.length];
            g.setColor(color);
            g.setStroke(entry.getKey().endsWith("p50")
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2.5f));
            int[] xs = entry.getValue().stream()
                    .mapToInt(p -> left + (int) ((Math.log(Math.max(1, p[0])) - logMin) / logSpan * plotW)).toArray();
            int[] ys = entry.getValue().stream().mapToInt(p -> top + plotH - (int) (p[1] / scaleY * plotH)).toArray();
            g.drawPolyline(xs, ys, xs.length);
            for (int i = 0; i < xs.length; i++) {
                // each measured step, so a series of one step shows too
                g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
            }
            g.drawString(entry.getKey(), width - right + 15, top + 20 + index * 20);
            index++;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
