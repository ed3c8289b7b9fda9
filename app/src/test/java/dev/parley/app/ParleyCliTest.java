package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ParleyCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Parley.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aloneItPrintsUsageListingTheCommands() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Usage: parley").contains("server");
    }

    @Test
    void versionNamesParley() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("Parley ");
    }

    @Test
    void unknownEngineIsAUsageError() {
        assertThat(run("server", "--engine", "fibers")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown engine 'fibers'");
    }

    @Test
    void badPortIsExplained() {
        assertThat(run("server", "--port", "99999")).isEqualTo(2);
        assertThat(err.toString()).contains("port must be between -1 and 65535");
    }

    @Test
    void unreadableMotdIsExplained() {
        assertThat(run("server", "--port", "0", "--motd-file", "/nonexistent/motd.txt")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read MOTD file");
    }

    @Test
    void badConfigFileIsExplained(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("bad.toml");
        Files.writeString(toml, "[server]\nprot = 6667\n");
        assertThat(run("server", "--config", toml.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key 'prot' in [server]");
        assertThat(run("server", "--config", dir.resolve("missing.toml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read config file");
    }

    @Test
    void commandLineOptionsWinOverTheConfigFile(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("parley.toml");
        Files.writeString(toml, "[server]\nname = \"from.file\"\nport = 7000\n[limits]\nnick-length = 12\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--config", toml.toString(), "--port", "0", "--nick-length", "20");
        var cfg = cmd.configSource().initial();
        assertThat(cfg.serverName()).isEqualTo("from.file");
        assertThat(cfg.port()).isZero();
        assertThat(cfg.nickLength()).isEqualTo(20);
        assertThat(cfg.configFile()).isEqualTo(toml);
    }

    @Test
    void udpDoorOptionsComeFromTheFileAndTheCommandLine(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("parley.toml");
        Files.writeString(toml, "[udp]\nport = 7001\nchannel = \"#datagrams\"\nrate = 3\nburst = 6\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--config", toml.toString(), "--udp-port", "7002", "--udp-idle-timeout", "9");
        var udp = cmd.configSource().initial().udp();
        assertThat(udp.enabled()).isTrue();
        assertThat(udp.port()).isEqualTo(7002);
        assertThat(udp.channel()).isEqualTo("#datagrams");
        assertThat(udp.rate()).isEqualTo(3);
        assertThat(udp.burst()).isEqualTo(6);
        assertThat(udp.idleTimeout()).hasSeconds(9);

        ServerCommand plain = new ServerCommand();
        new CommandLine(plain).parseArgs();
        assertThat(plain.configSource().initial().udp().enabled()).isFalse();
    }

    @Test
    void trustedAddressesAreNoneByDefaultAndAreGivenOrNone() {
        ServerCommand given = new ServerCommand();
        new CommandLine(given).parseArgs("--trusted", "10.0.0.0/8,192.0.2.7");
        assertThat(given.configSource().initial().trustedAddresses()).containsExactly("10.0.0.0/8", "192.0.2.7");
        ServerCommand none = new ServerCommand();
        new CommandLine(none).parseArgs("--trusted", "none");
        assertThat(none.configSource().initial().trustedAddresses()).isEmpty();
        ServerCommand plain = new ServerCommand();
        new CommandLine(plain).parseArgs();
        assertThat(plain.configSource().initial().trustedAddresses()).as("nobody is trusted by default").isEmpty();
        assertThat(run("server", "--trusted", "999.1.1.1")).isEqualTo(2);
        assertThat(err.toString()).contains("trusted address '999.1.1.1' is not an IP address or CIDR block");
    }

    @Test
    void badUdpOptionsAreUsageErrors() {
        assertThat(run("server", "--udp-port", "0", "--udp-channel", "udp")).isEqualTo(2);
        assertThat(err.toString()).contains("UDP channel must be a channel name like #udp, not 'udp'");
        assertThat(run("server", "--udp-port", "0", "--udp-max-datagram", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("UDP datagram bytes must be between 64 and 8192, not 10");
    }

    @Test
    void theExampleConfigFileIsValid() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--config", "../parley.example.toml");
        assertThat(cmd.configSource().initial().serverName()).isEqualTo("parley.local");
    }

    private int hashPassword(String input) {
        var in = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return run("hash-password");
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void hashPasswordPrintsAnArgon2idHash() {
        assertThat(hashPassword("hunter22\n")).isZero();
        String hash = out.toString().trim();
        assertThat(hash).startsWith("$argon2id$");
        assertThat(dev.parley.server.service.PasswordHasher.verify(hash, "hunter22")).isTrue();
    }

    @Test
    void hashPasswordRefusesPasswordsShorterThanAccountPasswords() {
        assertThat(dev.parley.server.service.AccountService.MIN_PASSWORD).isEqualTo(8);
        assertThat(hashPassword("hunter2\n")).isEqualTo(Parley.EXIT_USAGE);
        assertThat(err.toString()).contains("operator passwords need at least 8 characters");
        assertThat(out.toString()).doesNotContain("$argon2id$");
        assertThat(hashPassword("\n")).isEqualTo(Parley.EXIT_USAGE);
        assertThat(err.toString()).contains("no password given");
    }

    @Test
    void badTextSettingsAreUsageErrorsNamingTheSetting() {
        assertThat(run("server", "--network", "Evil\u0007Net")).isEqualTo(2);
        assertThat(err.toString()).contains("network name (server.network, --network)").contains("Evil\\x07Net");
        assertThat(run("server", "--name", "irc.example.org\r\nQUIT")).isEqualTo(2);
        assertThat(err.toString()).contains("server name (server.name, --name)").contains("\\x0d\\x0a");
        assertThat(run("server", "--host", "0.0.0.0 x")).isEqualTo(2);
        assertThat(err.toString()).contains("host (server.host, --host)");
    }

    @Test
    void badTextSettingsInTheConfigFileAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("parley.toml");
        Files.writeString(toml, "[admin]\nemail = \"admin@example.org\\r\\nPRIVMSG #x :hi\"\n");
        assertThat(run("server", "--config", toml.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("parley.toml").contains("admin email (admin.email)")
                .contains("control characters");
        Files.writeString(toml, "[[operator]]\nname = \"root\"\npassword-hash = \"$argon2id$v=19$x\"\n");
        assertThat(run("server", "--config", toml.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("operator root: hosts must list the user@host masks");
    }

    @Test
    void serverHelpListsItsOptions() {
        assertThat(run("server", "--help")).isZero();
        assertThat(out.toString()).contains("--engine", "--port", "--data-dir", "--motd-file", "--sendq");
    }
}
