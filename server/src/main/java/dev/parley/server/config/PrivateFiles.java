package dev.parley.server.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data and log directories hold password hashes, e-mail addresses, private messages and
 * logs: they are made {@code 0700} and every file in them {@code 0600}, for the server's own
 * user alone. A directory or file found with looser permissions is tightened, with a log line.
 * On a file system without POSIX permissions nothing is changed. Any thread.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger("parley.files");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and missing parents) {@code 0700}, or tightens it if it exists. */
    public static void directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (isPosix(dir.toAbsolutePath().getRoot())) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } else {
                Files.createDirectories(dir);
            }
        }
        tighten(dir, DIRECTORY);
    }

    /** Creates an empty {@code file} {@code 0600} unless it exists, and tightens it if it does. */
    public static void file(Path file) throws IOException {
        if (isPosix(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } catch (FileAlreadyExistsException e) {
                // kept; tightened below
            }
        }
        tighten(file, FILE);
    }

    /**
     * Tightens every regular file directly in {@code dir} whose name matches {@code glob} to
     * {@code 0600}; {@code quiet} for files the server itself just made (rolled logs).
     */
    public static void filesIn(Path dir, String glob, boolean quiet) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path f : files) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    tighten(f, FILE, quiet);
                }
            }
        }
    }

    /** Sets {@code path}'s permissions to {@code wanted} when they are anything else, saying so. */
    static void tighten(Path path, Set<PosixFilePermission> wanted) throws IOException {
        tighten(path, wanted, false);
    }

    private static void tighten(Path path, Set<PosixFilePermission> wanted, boolean quiet) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Set<PosixFilePermission> now = view.readAttributes().permissions();
        if (!now.equals(wanted)) {
            view.setPermissions(wanted);
            if (quiet) {
                return;
            }
            LOG.info("permissions of {} changed from {} to {} (only the server's user may read it)", path,
                    PosixFilePermissions.toString(now), PosixFilePermissions.toString(wanted));
        }
    }

    private static boolean isPosix(Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }
}
