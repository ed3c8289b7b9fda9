package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.core.util.FileSize;
import dev.parley.server.config.PrivateFiles;
import dev.parley.server.store.SqlStore;
import dev.parley.server.store.Account;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The data and log directories are 0700 and everything in them 0600, new or found; the rolled logs have a total cap. */
class PrivateFilesTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void theDatabaseAndItsWalAndShmFilesAreForTheServersUserAlone() throws Exception {
        Path data = tmp.resolve("data");
        try (SqlStore store = SqlStore.openSqlite(data)) {
            store.createAccount(new Account("alice", "alice", "$argon2id$hash", "alice@example.org", 1L));
            assertThat(mode(data)).isEqualTo("rwx------");
            assertThat(files(data)).extracting(p -> p.getFileName().toString()).contains("parley.db", "parley.db-wal", "parley.db-shm");
            for (Path f : files(data)) {
                assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void anExistingOpenDirectoryAndDatabaseAreTightenedOnStart() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("old"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (SqlStore store = SqlStore.openSqlite(data)) {
            store.findAccount("nobody");
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(data.resolve("parley.db"), PosixFilePermissions.fromString("rw-r--r--"));
        try (SqlStore store = SqlStore.openSqlite(data)) {
            store.findAccount("nobody");
        }
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.resolve("parley.db"))).isEqualTo("rw-------");
    }

    @Test
    void logFilesCurrentAndRolledAreForTheServersUserAlone() throws Exception {
        Path logs = tmp.resolve("data").resolve("logs");
        EventLog log = EventLog.start(logs, FileSize.valueOf("1KB"), 7, false);
        try {
            for (int i = 0; i < 60; i++) { // past 1 KB the file rolls over
                LoggerFactory.getLogger("parley.test").info("line {} of a log that rolls over by size, padded to some length", i);
            }
            assertThat(mode(tmp.resolve("data"))).isEqualTo("rwx------");
            assertThat(mode(logs)).isEqualTo("rwx------");
            await().untilAsserted(() -> {
                List<Path> all = files(logs);
                assertThat(all).anyMatch(p -> p.getFileName().toString().endsWith(".log.gz"));
                for (Path f : all) {
                    assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------");
                }
            });
        } finally {
            log.close();
        }
    }

    @Test
    void anExistingOpenLogDirectoryIsTightened() throws Exception {
        Path logs = Files.createDirectory(tmp.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.writeString(logs.resolve("parley.log"), "old\n");
        Files.setPosixFilePermissions(logs.resolve("parley.log"), PosixFilePermissions.fromString("rw-rw-r--"));
        EventLog log = EventLog.start(logs, FileSize.valueOf("10MB"), 7, false);
        log.close();
        assertThat(mode(logs)).isEqualTo("rwx------");
        assertThat(mode(logs.resolve("parley.log"))).isEqualTo("rw-------");
        assertThat(PrivateFiles.FILE).hasSize(2);
    }

    @Test
    void theTotalSizeCapOfRolledLogsReachesTheAppender() throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--data-dir", tmp.resolve("d").toString(), "--log-file-size", "1MB", "--log-total-size", "50MB");
        EventLog log = cmd.startEventLog(cmd.configSource().initial());
        try {
            assertThat(log.totalSizeCap().getSize()).isEqualTo(FileSize.valueOf("50MB").getSize());
        } finally {
            log.close();
        }
        ServerCommand defaults = new ServerCommand();
        new CommandLine(defaults).parseArgs("--data-dir", tmp.resolve("e").toString());
        EventLog byDefault = defaults.startEventLog(defaults.configSource().initial());
        try {
            assertThat(byDefault.totalSizeCap().getSize()).isEqualTo(FileSize.valueOf("1GB").getSize());
        } finally {
            byDefault.close();
        }
    }
}
