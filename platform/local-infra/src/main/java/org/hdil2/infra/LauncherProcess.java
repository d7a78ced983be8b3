package org.hdil2.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts one of the launchers of {@code platform/infra-launchers} as its own JVM and waits for its ready file. */
public final class LauncherProcess {

    public static final String CLASSPATH_PROPERTY = "hdil2.launcher.classpath";
    public static final String CLASSES_PROPERTY = "hdil2.launcher.classes";

    private LauncherProcess() {
    }

    /**
     * Starts {@code mainClass} after deleting {@code readyFile}: a ready file left by an earlier run would otherwise be
     * taken for this run's.
     */
    public static Process start(String mainClass, String heap, Path workDir, Path readyFile, List<String> args) {
        try {
            Files.createDirectories(workDir);
            Files.deleteIfExists(readyFile);
            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.add("-Xms32m");
            command.add("-Xmx" + heap);
            command.add("-XX:+UseSerialGC");
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-Djava.io.tmpdir=" + workDir.toAbsolutePath());
            command.add("-cp");
            command.add(launcherClasspath());
            command.add("org.hdil2.infra.launch." + mainClass);
            command.addAll(args);
            Path log = workDir.resolve(mainClass + ".log");
            // output goes to a file: an inherited pipe would keep the build waiting for the child
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(devNull()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass, e);
        }
    }

    /** Waits until {@code readyFile} exists and returns its content, failing fast if the process dies. */
    public static String awaitReady(Process process, Path readyFile, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(readyFile)) {
                    return Files.readString(readyFile, StandardCharsets.UTF_8).trim();
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(what + " exited with " + process.exitValue()
                            + " before it was ready; see the log beside " + readyFile);
                }
                Thread.sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException(what + " not ready in " + timeout.toSeconds() + " s");
    }

    public static void stop(Process process, Duration grace) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String launcherClasspath() throws IOException {
        String cpFile = System.getProperty(CLASSPATH_PROPERTY);
        String classes = System.getProperty(CLASSES_PROPERTY);
        if (cpFile == null || classes == null) {
            throw new IllegalStateException("system properties " + CLASSPATH_PROPERTY + " and " + CLASSES_PROPERTY
                    + " must name platform/infra-launchers' classpath file and classes (build that module first)");
        }
        Path path = Path.of(cpFile);
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: build platform/infra-launchers first");
        }
        return classes + java.io.File.pathSeparator + Files.readString(path, StandardCharsets.UTF_8).trim();
    }

    private static java.io.File devNull() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
