package chat.caravan.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs scripts of integration-tests/clients with Node: Rocket.Chat's own npm clients and playwright-core (which drives
 * the system's Chromium for the web client's tests), installed on first use from the npm registry (package-lock.json
 * pins them).
 */
public final class NodeClients {

    private NodeClients() {
    }

    public static Path dir() {
        return Topology.repoDir().resolve("integration-tests/clients");
    }

    public static synchronized void install() {
        if (Files.isDirectory(dir().resolve("node_modules/@rocket.chat/ddp-client"))
                && Files.isDirectory(dir().resolve("node_modules/playwright-core"))) {
            return;
        }
        Result result = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("npm ci failed:\n" + result.output());
        }
    }

    /** Runs {@code node <script> args...}; returns exit code and output. */
    public static Result run(String script, int timeoutSeconds, String... args) {
        install();
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(args));
        return exec(command, timeoutSeconds);
    }

    private static Result exec(List<String> command, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("node-client", ".log");
            Process process = new ProcessBuilder(command).directory(dir().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, Files.readString(log) + "\n(timed out after " + timeoutSeconds + " s)");
            }
            return new Result(process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a script printed, and how it ended. */
    public record Result(int exitCode, String output) {
    }
}
