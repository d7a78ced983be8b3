package org.hdil2.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;

/**
 * Topics for a benchmark run: {@code create <name> <partitions> [logAppendTime]}, {@code delete <name>...}, and
 * {@code bytes <prefix>} (bytes on disk per topic whose name starts with the prefix, changelogs included).
 * Usage: {@code BenchTopics <bootstrap> <command> ...}.
 */
public final class BenchTopics {

    private BenchTopics() {
    }

    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            switch (args[1]) {
                case "create" -> {
                    NewTopic topic = new NewTopic(args[2], Integer.parseInt(args[3]), (short) 1);
                    if (args.length > 4 && args[4].equals("logAppendTime")) {
                        topic.configs(Map.of("message.timestamp.type", "LogAppendTime"));
                    }
                    admin.createTopics(List.of(topic)).all().get();
                }
                case "delete" -> admin.deleteTopics(List.of(args).subList(2, args.length)).all().get();
                case "bytes" -> {
                    Set<String> names = admin.listTopics().names().get();
                    Map<String, Long> bytes = new java.util.TreeMap<>();
                    admin.describeLogDirs(List.of(1)).allDescriptions().get().values().forEach(dirs -> dirs.values().forEach(dir ->
                            dir.replicaInfos().forEach((tp, info) -> {
                                if (tp.topic().startsWith(args[2]) && names.contains(tp.topic())) {
                                    bytes.merge(tp.topic(), ((ReplicaInfo) info).size(), Long::sum);
                                }
                            })));
                    bytes.forEach((t, b) -> System.out.println("BYTES " + t + " " + b));
                }
                default -> throw new IllegalArgumentException("create | delete | bytes");
            }
        }
    }
}
