package dev.parley.app;

import ch.qos.logback.core.util.FileSize;
import dev.parley.app.console.OperatorConsole;
import dev.parley.app.console.ServerConsole;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.ConfigFile;
import dev.parley.server.config.ConfigSource;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.Setting;
import dev.parley.server.config.Settings;
import dev.parley.server.diag.TrafficLog;
import dev.parley.server.store.SqlStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * {@code parley server}: runs the chat server until stopped from its console, by Ctrl-C or by
 * SIGTERM, writing the event log as it goes.
 */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"Run the IRC-compatible chat server.",
                "While it runs, type operator commands on standard input ('help' lists them)."},
        sortOptions = false,
        modelTransformer = ServerCommand.SettingOptions.class)
public final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The value of option {@code name}: as given, or its default. */
    private <T> T option(String name) {
        return spec.findOption(name).getValue();
    }

    /** The options given on the command line (or, without a config file, their defaults) applied to {@code b}. */
    ServerConfig.Builder applyOptions(ServerConfig.Builder b, boolean onlyGiven) {
        var given = spec.commandLine().getParseResult();
        for (Setting setting : Settings.ALL) {
            if (setting.options().isEmpty() || !setting.configures()) {
                continue;
            }
            String name = setting.longOption();
            Object parsed = option(name);
            if (parsed == null || (onlyGiven && !given.hasMatchedOption(name))) {
                continue;
            }
            try {
                setting.apply().accept(b, setting.fromOption(parsed));
            } catch (Setting.BadValue e) {
                throw new UserFacingException(e.getMessage(), Parley.EXIT_USAGE);
            }
        }
        return b;
    }

    /** Where the configuration comes from: defaults, then the file, then options given here. */
    ConfigSource configSource() {
        ServerConfig.Builder defaults = ServerConfig.builder().version(Version.get());
        try {
            ConfigSource source;
            Path configFile = option("--config");
            if (configFile == null) {
                source = ConfigSource.fixed(withDefaultMotd(applyOptions(defaults, false)).build());
            } else {
                if (!Files.isReadable(configFile)) {
                    throw new UserFacingException("cannot read config file " + configFile);
                }
                source = ConfigFile.source(configFile, defaults, b -> withDefaultMotd(applyOptions(b, true)));
            }
            return source;
        } catch (ConfigFile.ConfigException e) {
            throw new UserFacingException(e.getMessage(), Parley.EXIT_USAGE);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), Parley.EXIT_USAGE);
        }
    }

    /** Without a MOTD file named anywhere, {@code <data-dir>/motd.txt} is used when it exists. */
    private static ServerConfig.Builder withDefaultMotd(ServerConfig.Builder b) {
        ServerConfig probe = b.build();
        if (probe.motdFile() == null && Files.isRegularFile(probe.dataDir().resolve("motd.txt"))) {
            b.motdFile(probe.dataDir().resolve("motd.txt"));
        }
        return b;
    }

    @Override
    public Integer call() throws Exception {
        ConfigSource source = configSource();
        ServerConfig cfg = source.initial();
        if (cfg.motdFile() != null && !Files.isReadable(cfg.motdFile())) {
            throw new UserFacingException("cannot read MOTD file " + cfg.motdFile());
        }
        EventLog eventLog = startEventLog(cfg);
        TrafficLog.setEnabled(option("--log-traffic"));
        ParleyServer server;
        try {
            server = ParleyServer.start(source);
        } catch (UncheckedIOException | SqlStore.StoreException e) {
            eventLog.close();
            throw new UserFacingException(e.getMessage());
        } catch (IOException e) {
            eventLog.close();
            throw new UserFacingException(e.getMessage());
        }
        Thread hook = new Thread(() -> server.shutdown("Server shutting down"), "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GracefulShutdown shutdown = new GracefulShutdown(server);
        ServerConsole console = null;
        if (!this.<Boolean>option("--no-console")) {
            OperatorConsole operator = new OperatorConsole(server, eventLog, shutdown::request);
            console = ServerConsole.onStandardInput(operator, () -> shutdown.signal("Ctrl-C", 130));
            shutdown.beforeForcedExit(console::close);
        }
        shutdown.handleSignals(); // after the terminal is set up, so these handlers win; before the ready line
        String shownHost = cfg.host().equals("0.0.0.0") || cfg.host().equals("::") ? cfg.host() : server.address().getHostString();
        System.out.println("Parley " + Version.get() + " listening on " + shownHost + ":" + server.port()
                + " (engine " + server.engine().name() + ")");
        if (server.tlsPort() >= 0 && cfg.port() >= 0) {
            System.out.println("TLS on " + shownHost + ":" + server.tlsPort() + " (certificate SHA-256 "
                    + server.tls().current().fingerprint() + ")");
        }
        if (server.proxyPort() >= 0) {
            System.out.println("PROXY protocol on " + shownHost + ":" + server.proxyPort());
        }
        if (server.udpDoor() != null) {
            System.out.println("UDP door on " + shownHost + ":" + server.udpDoor().port() + " into " + cfg.udp().channel());
        }
        System.out.flush();
        if (console != null) {
            console.start();
        }
        server.awaitStop();
        if (console != null) {
            console.close();
        }
        return 0;
    }

    /** Starts the log file in {@code --log-dir}, or {@code <data-dir>/logs}. */
    EventLog startEventLog(ServerConfig cfg) {
        Path logDir = option("--log-dir");
        Path dir = logDir != null ? logDir : cfg.dataDir().resolve("logs");
        String logFileSize = option("--log-file-size");
        int logHistoryDays = option("--log-history");
        FileSize size;
        try {
            size = FileSize.valueOf(logFileSize);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--log-file-size must be a size like 500KB, 10MB or 1GB, not '" + logFileSize + "'",
                    Parley.EXIT_USAGE);
        }
        if (size.getSize() < 1024) {
            throw new UserFacingException("--log-file-size must be at least 1KB", Parley.EXIT_USAGE);
        }
        String logTotalSize = option("--log-total-size");
        FileSize total;
        try {
            total = FileSize.valueOf(logTotalSize);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--log-total-size must be a size like 500MB or 1GB, not '" + logTotalSize + "'",
                    Parley.EXIT_USAGE);
        }
        if (total.getSize() < size.getSize()) {
            throw new UserFacingException("--log-total-size must be at least --log-file-size (" + logFileSize + ")",
                    Parley.EXIT_USAGE);
        }
        if (logHistoryDays < 1) {
            throw new UserFacingException("--log-history must be at least 1 day", Parley.EXIT_USAGE);
        }
        try {
            return EventLog.start(dir, size, logHistoryDays, total, option("--log-traffic"));
        } catch (IOException e) {
            throw new UserFacingException("cannot write the event log in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * Adds an option to {@code parley server} for every setting of {@link Settings#ALL} that has
     * one, in table order, ahead of {@code --help} and {@code --version}.
     */
    public static final class SettingOptions implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec command) {
            List<OptionSpec> standard = command.options().stream().filter(o -> o.usageHelp() || o.versionHelp()).toList();
            standard.forEach(command::remove);
            for (Setting setting : Settings.ALL) {
                if (!setting.options().isEmpty()) {
                    command.addOption(optionFor(setting));
                }
            }
            standard.forEach(command::addOption);
            return command;
        }

        static OptionSpec optionFor(Setting s) {
            OptionSpec.Builder o = OptionSpec.builder(s.options().toArray(String[]::new)).description(s.help());
            if (s.label() != null) {
                o.paramLabel(s.label());
            }
            switch (s.type()) {
                case BOOL -> o.type(boolean.class).defaultValue("false");
                case TEXT -> o.type(String.class);
                case INT -> o.type(s.defaultValue() == null ? Integer.class : int.class);
                case SECONDS -> o.type(long.class);
                case DAYS -> o.type(int.class);
                case PATH -> o.type(Path.class);
                case ENGINE -> o.type(EngineKind.class).converters(EngineKind::parse);
                case ADDRESSES -> o.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
            }
            if (s.type() != Setting.Type.BOOL && s.defaultValue() != null) {
                o.defaultValue(s.defaultValue());
            }
            return o.build();
        }
    }
}
