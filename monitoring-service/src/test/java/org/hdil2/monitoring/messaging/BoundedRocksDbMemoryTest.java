package org.hdil2.monitoring.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class BoundedRocksDbMemoryTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void everyStoreOfTheProcessSharesOneCacheAndItsMemtablesAreChargedToIt() {
        BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
        Map<String, Object> configs = Map.of(BoundedRocksDbMemory.MEMORY_MB_CONFIG, "32");
        try (Options first = new Options().setTableFormatConfig(new BlockBasedTableConfig());
             Options second = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            setter.setConfig("patient-state-0", first, configs);
            setter.setConfig("patient-state-1", second, configs);
            assertEquals(4L << 20, first.writeBufferSize());
            assertEquals(2, first.maxWriteBufferNumber());
            assertSame(BoundedRocksDbMemory.budget(configs), BoundedRocksDbMemory.budget(Map.of()),
                    "one budget per process, whatever a later store's configuration says");
        }
    }

    @Test
    void aStoresMemtablesAreChargedToTheSharedCache(@TempDir Path dir) throws RocksDBException {
        Map<String, Object> configs = Map.of(BoundedRocksDbMemory.MEMORY_MB_CONFIG, "32");
        BoundedRocksDbMemory.Budget budget = BoundedRocksDbMemory.budget(configs);
        long before = budget.cache().getUsage();
        try (Options options = new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig())) {
            new BoundedRocksDbMemory().setConfig("patient-state-2", options, configs);
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                byte[] state = new byte[4096];
                for (int patient = 0; patient < 512; patient++) {
                    db.put(("patient-" + patient).getBytes(StandardCharsets.UTF_8), state);
                }
                long charged = budget.cache().getUsage() - before;
                assertTrue(charged >= 1L << 20, "2 MB in the memtable, " + charged + " bytes counted in the shared cache");
            }
        }
    }

    @Test
    void theBudgetIsTheConfiguredSizeAndTooSmallABudgetIsRefused() {
        BoundedRocksDbMemory.Budget budget = BoundedRocksDbMemory.create(16);
        assertEquals(16L << 20, budget.bytes());
        budget.writeBuffers().close();
        budget.cache().close();
        assertThrows(IllegalArgumentException.class, () -> BoundedRocksDbMemory.create(4));
    }
}
