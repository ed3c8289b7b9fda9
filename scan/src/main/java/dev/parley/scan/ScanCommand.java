package dev.parley.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code parley scan}: a parallel TCP connect scan of one or more hosts, results in order.
 *
 * <p>Exit codes: 0 when every target was scanned; 1 when some target could not be resolved
 * (the others are still scanned and reported) or sockets could not be opened; 2 for bad input.
 */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = ScanCommand.VersionProvider.class,
        description = {"Scan TCP ports: tries to connect to each port and reports which are open,"
                + " in ascending order, with the service usually found there.",
                "Without -p: the " + TopPorts.DEFAULT + " ports most often found open.",
                "States: open (the connection completed), closed (refused or reset),"
                        + " filtered (no answer within the timeout after the retries, or unreachable)."},
        sortOptions = false,
        footer = {"", "Examples:",
                "  parley scan 127.0.0.1",
                "  parley scan -p 22,80,8000-8100 example.org 192.0.2.0/28",
                "  parley scan -p- --show all --format csv 10.0.0.1-20 > ports.csv"})
public final class ScanCommand implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;
    /** Connections in flight when {@code --concurrency} is not given (and the open-file limit allows). */
    static final int DEFAULT_CONCURRENCY = 1024;
    /** Scan loops at most when the number is left to the processor count. */
    static final int MAX_LANES = 4;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..*",
            description = "Host names, IPv4 or IPv6 addresses, CIDR blocks (192.0.2.0/24),"
                    + " ranges (10.0.0.1-20, 10.0.0.250-10.0.1.5). Asked for when none is given.")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-p", "--ports"}, paramLabel = "PORTS",
            description = "Ports: 22,80,8000-8100, -1024, 60000-, service names (ssh);"
                    + " '-p-' for all 65535 (default: the " + TopPorts.DEFAULT + " most common).")
    String ports;

    @Option(names = "--top-ports", paramLabel = "N",
            description = "The N ports most often found open (default without -p: " + TopPorts.DEFAULT + ").")
    Integer topPorts;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Connection attempts in flight at most (default: " + DEFAULT_CONCURRENCY
                    + ", lowered to fit the open-file limit).")
    Integer concurrency;

    @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1000",
            description = "Longest wait for an answer to one attempt (default: ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--min-timeout", paramLabel = "MS", defaultValue = "100",
            description = "Shortest wait the per-host adaptive timeout may choose once the host has answered;"
                    + " equal to --timeout to turn adaptation off (default: ${DEFAULT-VALUE}).")
    long minTimeoutMillis;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "1",
            description = "Further attempts for a port that did not answer (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--rate", paramLabel = "N",
            description = "Connection attempts started per second at most (default: no limit).")
    Long rate;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json, csv, grep (one line per host, as nmap -oG) or xml (as nmap -oX)"
                    + " (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "-oX", paramLabel = "FILE",
            description = "Also write nmap-style XML to FILE.")
    Path xmlFile;

    @Option(names = "-oG", paramLabel = "FILE",
            description = "Also write greppable lines (as nmap -oG) to FILE.")
    Path grepFile;

    @Option(names = "--show", paramLabel = "WHICH", defaultValue = "open",
            description = "open: only open ports; all: every port's state (default: ${DEFAULT-VALUE}).")
    String show;

    @Option(names = {"-sV", "--service"},
            description = "Find out what runs on each open port: read its greeting, else try HTTP HEAD, a TLS"
                    + " handshake (certificate subject and expiry), Redis PING and PostgreSQL; show product and version"
                    + " where the answer says (waits up to --banner-timeout per answer).")
    boolean service;

    @Option(names = "--banner",
            description = "Read what each open port's service says first and show it.")
    boolean banner;

    @Option(names = "--banner-timeout", paramLabel = "MS", defaultValue = "2000",
            description = "How long --banner waits for a service to speak, and -sV for each answer"
                    + " (default: ${DEFAULT-VALUE}).")
    long bannerTimeoutMillis;

    @Option(names = "--no-progress",
            description = "No progress bar (it is drawn on stderr only when stderr is a terminal).")
    boolean noProgress;

    @Option(names = "--max-hosts", paramLabel = "N", defaultValue = "65536",
            description = "Most addresses one scan may cover, a guard against typos in CIDR blocks"
                    + " (default: ${DEFAULT-VALUE}).")
    long maxHosts;

    @Option(names = {"-Pn", "--no-discovery"},
            description = "Scan every address, also those that did not answer host discovery"
                    + " (their round trip is still measured first when they answer).")
    boolean noDiscovery;

    @Option(names = "--no-randomize",
            description = "Try ports and addresses in ascending order (default: a random order;"
                    + " results are always shown in order).")
    boolean noRandomize;

    @Option(names = "--threads", paramLabel = "N",
            description = "Scan loops side by side, each on its own thread with its own selector"
                    + " (default: one per processor, at most " + MAX_LANES + ").")
    Integer lanes;

    /** Seams for tests; the product uses the real network, clock, DNS and terminal. */
    Connector.Factory connectorFactory = NioConnector::new;
    LongSupplier clock = System::nanoTime;
    Target.Resolver resolver = InetAddress::getByName;
    InputStream in = System.in;
    BooleanSupplier stderrIsTerminal = ScanCommand::stderrIsTerminal;
    java.util.function.Supplier<FdBudget> fdBudget = FdBudget::current;
    java.util.function.Supplier<Pinger> pingers = Pinger::system;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan;
        List<Target.Block> blocks = new ArrayList<>();
        List<ResultWriter.TargetError> errors = new ArrayList<>();
        try {
            plan = plan(err);
            if (plan == null) {
                return EXIT_USAGE;
            }
            resolve(plan.targets(), blocks, errors, err);
        } catch (BadInputException e) {
            err.println("parley scan: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        if (blocks.isEmpty()) {
            return EXIT_USAGE;
        }
        long hostCount = blocks.stream().mapToLong(Target.Block::count).sum();
        if (hostCount > maxHosts) {
            err.println("parley scan: " + hostCount + " addresses to scan, more than --max-hosts " + maxHosts);
            err.flush();
            return EXIT_USAGE;
        }
        int bound = fitToBudget(fdBudget.get(), err);
        if (bound < 1) {
            return EXIT_FAILURE;
        }
        if (service) {
            bound = Math.max(1, bound - DetectingWriter.PARALLEL); // descriptors for the detections
        }
        ScanSettings settings = new ScanSettings(bound, timeoutMillis * 1_000_000, minTimeoutMillis * 1_000_000,
                retries, rate == null ? 0 : rate, banner, bannerTimeoutMillis * 1_000_000, lanes(), !noRandomize);

        Services services = Services.bundled();
        AtomicReference<Scanner> running = new AtomicReference<>();
        Progress progress = !noProgress && stderrIsTerminal.getAsBoolean()
                ? Progress.on(err, () -> running.get() == null ? 0 : running.get().done(),
                        () -> running.get() == null ? hostCount * plan.ports().size() : running.get().total(),
                        () -> hostsText(running.get(), hostCount), clock)
                : Progress.disabled();
        String args = String.join(" ", spec.commandLine().getParseResult().originalArgs());
        ResultWriter writer = switch (plan.format()) {
            case "json" -> new JsonWriter(out, services, plan.showAll());
            case "csv" -> new CsvWriter(out, services, plan.showAll());
            case "grep" -> new GrepWriter(out, services, plan.showAll(), args);
            case "xml" -> new XmlWriter(out, services, plan.showAll(), args, plan.ports());
            default -> new TextWriter(out, services, plan.showAll(), hostCount > 1, progress);
        };
        List<PrintWriter> files = new ArrayList<>();
        try {
            List<ResultWriter> writers = new ArrayList<>(List.of(writer));
            if (xmlFile != null) {
                files.add(new PrintWriter(Files.newBufferedWriter(xmlFile, StandardCharsets.UTF_8)));
                writers.add(new XmlWriter(files.getLast(), services, plan.showAll(), args, plan.ports()));
            }
            if (grepFile != null) {
                files.add(new PrintWriter(Files.newBufferedWriter(grepFile, StandardCharsets.UTF_8)));
                writers.add(new GrepWriter(files.getLast(), services, plan.showAll(), args));
            }
            if (writers.size() > 1) {
                writer = new TeeWriter(writers);
            }
        } catch (IOException e) {
            files.forEach(PrintWriter::close);
            err.println("parley scan: cannot write " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        if (service) {
            ServiceDetector detector = new ServiceDetector(timeoutMillis, bannerTimeoutMillis);
            writer = new DetectingWriter(writer, detector::detect);
        }
        try (progress) {
            progress.start();
            long discoveryStart = clock.getAsLong();
            Discovery.Result found;
            try (Connector c = connectorFactory.open(); Pinger pinger = pingers.get()) {
                found = new Discovery(settings, clock, Discovery.DEFAULT_PORTS, pinger).run(hosts(blocks), hostCount, c);
            }
            long discoveryNanos = clock.getAsLong() - discoveryStart;
            List<ScanHost> toScan = noDiscovery ? found.hosts() : found.up();
            if (found.up().isEmpty()) {
                err.println("parley scan: no answer on ports " + Discovery.DEFAULT_PORTS.text() + " from "
                        + (hostCount == 1 ? "the host" : "any address") + (noDiscovery ? "" : "; -Pn scans anyway"));
                err.flush();
            }
            writer.begin(errors);
            Scanner scanner = new Scanner(settings, connectorFactory, clock, writer, toScan.iterator(),
                    toScan.size(), plan.ports(), found::learned);
            running.set(scanner);
            ScanSummary summary = scanner.run().withDiscovery(hostCount, found.up().size(), discoveryNanos);
            progress.close();
            writer.end(summary);
        } catch (ResultWriter.OutputClosedException e) {
            return EXIT_FAILURE;
        } catch (ScanFailedException e) {
            out.flush();
            err.println("parley scan: " + e.getMessage());
            err.flush();
            return EXIT_FAILURE;
        } finally {
            files.forEach(PrintWriter::close);
        }
        return errors.isEmpty() ? EXIT_OK : EXIT_FAILURE;
    }

    /** The progress bar's start: {@code hosts 3 up of 256, 1 scanned  }, or that discovery is still on. */
    static String hostsText(Scanner scanner, long addresses) {
        if (scanner == null) {
            return addresses > 1 ? "discovering " + addresses + " addresses  " : "";
        }
        long hosts = scanner.hostTotal();
        return addresses > 1 || hosts > 1
                ? "hosts " + hosts + " up of " + addresses + ", " + scanner.hostsFinished() + " scanned  " : "";
    }

    /** Validated input: ports, parsed targets, output choices. */
    private record Plan(PortList ports, List<Target> targets, String format, boolean showAll) {
    }

    private Plan plan(PrintWriter err) throws IOException {
        positive(timeoutMillis, "--timeout");
        positive(minTimeoutMillis, "--min-timeout");
        positive(bannerTimeoutMillis, "--banner-timeout");
        positive(maxHosts, "--max-hosts");
        if (retries < 0 || retries > 100) {
            throw new BadInputException("--retries must be between 0 and 100");
        }
        if (concurrency != null && concurrency < 1) {
            throw new BadInputException("--concurrency must be at least 1");
        }
        if (lanes != null && (lanes < 1 || lanes > 64)) {
            throw new BadInputException("--threads must be between 1 and 64");
        }
        if (rate != null && rate < 1) {
            throw new BadInputException("--rate must be at least 1");
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "csv", "grep", "xml").contains(fmt)) {
            throw new BadInputException("unknown format '" + format + "' (text, json, csv, grep or xml)");
        }
        String which = show.toLowerCase(Locale.ROOT);
        if (!which.equals("open") && !which.equals("all")) {
            throw new BadInputException("unknown --show '" + show + "' (open or all)");
        }
        if (ports != null && topPorts != null) {
            throw new BadInputException("give either -p or --top-ports, not both");
        }
        PortList portList = ports != null ? PortList.parse(ports, Services.bundled())
                : TopPorts.first(topPorts != null ? topPorts : TopPorts.DEFAULT);
        List<String> texts = new ArrayList<>(targets);
        if (texts.isEmpty()) {
            texts = askForTargets(err);
            if (texts.isEmpty()) {
                err.println("parley scan: no target given");
                err.flush();
                return null;
            }
        }
        List<Target> parsed = new ArrayList<>();
        for (String t : texts) {
            parsed.add(Target.parse(t, maxHosts));
        }
        return new Plan(portList, parsed, fmt, which.equals("all"));
    }

    private static void positive(long value, String option) {
        if (value <= 0) {
            throw new BadInputException(option + " must be positive");
        }
    }

    /** As the course's scanner does: asks {@code host?} and reads targets from one line of input. */
    private List<String> askForTargets(PrintWriter err) throws IOException {
        err.print("host? ");
        err.flush();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        String line = reader.readLine();
        List<String> texts = new ArrayList<>();
        if (line != null) {
            for (String t : line.strip().split("[\\s,]+")) {
                if (!t.isEmpty()) {
                    texts.add(t);
                }
            }
        }
        return texts;
    }

    /**
     * Resolves host names (in parallel) into {@code blocks}, in the order given; each name that
     * does not resolve is reported on one line and added to {@code errors}.
     *
     * @throws BadInputException when a resolved name's CIDR block is malformed or too large
     */
    private void resolve(List<Target> targets, List<Target.Block> blocks, List<ResultWriter.TargetError> errors,
                         PrintWriter err) {
        List<Future<Target.Block>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Target t : targets) {
                futures.add(pool.submit(() -> Target.resolve(t, resolver, maxHosts)));
            }
            for (int i = 0; i < futures.size(); i++) {
                String text = targets.get(i).text();
                try {
                    blocks.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof BadInputException bad) {
                        throw bad;
                    }
                    String message = e.getCause() instanceof UnknownHostException
                            ? "cannot resolve host '" + text + "'"
                            : String.valueOf(e.getCause().getMessage());
                    errors.add(new ResultWriter.TargetError(text, message));
                    err.println("parley scan: " + message);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BadInputException("interrupted while resolving '" + text + "'");
                }
            }
        }
        err.flush();
    }

    /** The concurrency to use: the one asked for (or the default), lowered to what the descriptors allow. */
    private int fitToBudget(FdBudget budget, PrintWriter err) {
        long available = budget.available();
        if (available < 1) {
            err.println("parley scan: no file descriptors to spare (open-file limit " + budget.limit()
                    + ", " + budget.inUse() + " in use); raise it with ulimit -n");
            err.flush();
            return 0;
        }
        int wanted = concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
        if (wanted > available) {
            if (concurrency != null) {
                err.println("parley scan: --concurrency " + wanted + " lowered to " + available
                        + " to fit the open-file limit (" + budget.limit() + ")");
                err.flush();
            }
            return (int) available;
        }
        return wanted;
    }

    /** One scan loop per processor: connecting costs mostly kernel time, which then runs on every core. */
    int lanes() {
        return lanes != null ? lanes : Math.max(1, Math.min(MAX_LANES, Runtime.getRuntime().availableProcessors()));
    }

    private static Iterator<ScanHost> hosts(List<Target.Block> blocks) {
        return new Iterator<>() {
            private int block;
            private long index;

            @Override
            public boolean hasNext() {
                while (block < blocks.size() && index >= blocks.get(block).count()) {
                    block++;
                    index = 0;
                }
                return block < blocks.size();
            }

            @Override
            public ScanHost next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return blocks.get(block).host(index++);
            }
        };
    }

    /** Whether stderr is a terminal: on Linux, where fd 2 points; elsewhere, whether there is a console. */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** {@code --version}: the version of the jar this runs from. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ScanCommand.class.getPackage().getImplementationVersion();
            return new String[] {"Parley " + (v == null ? "(development build)" : v)};
        }
    }
}
