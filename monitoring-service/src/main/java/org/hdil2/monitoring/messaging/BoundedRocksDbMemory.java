package org.hdil2.monitoring.messaging;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB store of the process, as Kafka Streams' memory-management guide does it: a
 * single block cache shared by all stores, the memtables charged to it (write buffer manager), index and filter
 * blocks kept in it. Without it each store (one per partition, standbys included) takes a 50 MB cache and up to three
 * 16 MB memtables outside the heap, so a pod grows with its partitions past its memory limit. A patient's state is a
 * few KB: the whole ward's fits in the budget many times over.
 * <p>The budget is {@value #MEMORY_MB_CONFIG} (MB, in the Streams properties), half of it at most for memtables.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final String MEMORY_MB_CONFIG = "hdil2.rocksdb.memory.mb";
    static final long DEFAULT_MEMORY_MB = 32;
    private static final long MEMTABLE_BYTES = 4L << 20;

    private static Budget budget;

    /** The cache and the write buffer manager every store shares; created once, with the first store's configuration. */
    record Budget(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    static synchronized Budget budget(Map<String, Object> configs) {
        if (budget == null) {
            Object configured = configs.get(MEMORY_MB_CONFIG);
            budget = create(configured == null ? DEFAULT_MEMORY_MB : Long.parseLong(configured.toString().trim()));
        }
        return budget;
    }

    static Budget create(long megabytes) {
        if (megabytes < 8) {
            throw new IllegalArgumentException(MEMORY_MB_CONFIG + " must be at least 8 (MB), not " + megabytes);
        }
        long bytes = megabytes << 20;
        Cache cache = new LRUCache(bytes, -1, false, 0.1);
        return new Budget(bytes, cache, new WriteBufferManager(bytes / 2, cache));
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Budget shared = budget(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write buffer manager are shared by every store, open or still to come: never closed here
    }
}
