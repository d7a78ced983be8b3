package org.hdil2.infra.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** Small helpers shared by the two launchers: argument parsing, atomic ready files, owner watch. */
final class LauncherSupport {

    private LauncherSupport() {
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> parsed = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            parsed.put(args[i].substring(2), args[i + 1]);
        }
        return parsed;
    }

    /** Writes the file so that a reader never sees it half-written. */
    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Exits this JVM when the owning process (the build or the local-stack launcher) is gone, so that a killed
     * build never leaves a broker or a database running.
     */
    static void exitWhenOwnerDies(String ownerPid) {
        if (ownerPid == null || ownerPid.isBlank()) {
            return;
        }
        long pid = Long.parseLong(ownerPid);
        Thread watcher = new Thread(() -> {
            while (true) {
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    System.exit(0);
                }
            }
        }, "owner-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
