package io.dragnet.rules;

import io.dragnet.contracts.AggregateSpec;
import io.dragnet.contracts.DragnetException;
import io.dragnet.contracts.CorrelationSpec;
import io.dragnet.contracts.IndexNames;
import io.dragnet.contracts.JobSpec;
import io.dragnet.contracts.PublishedRuns;
import io.dragnet.contracts.Predicate;
import io.dragnet.contracts.RunFolders;
import io.dragnet.rules.feeds.FeedSnapshots;
import io.dragnet.rules.internal.AggregateCompiler;
import io.dragnet.rules.internal.CorrelationChecks;
import io.dragnet.rules.internal.CorrelationCompiler;
import io.dragnet.rules.internal.IocLoader;
import io.dragnet.rules.internal.IocTable;
import io.dragnet.rules.internal.PredicateCompiler;
import io.dragnet.rules.internal.RuleParser;
import io.dragnet.rules.internal.Suggestions;
import io.dragnet.rules.internal.YamlNode;
import io.dragnet.rules.internal.YamlReader;
import io.dragnet.rules.model.IocFileReference;
import io.dragnet.rules.sigma.SigmaConverter;
import io.dragnet.rules.sigma.SigmaPipeline;
import io.dragnet.rules.sigma.SigmaPipelines;
import io.dragnet.rules.sigma.SigmaRule;
import io.dragnet.rules.model.IocKind;
import io.dragnet.rules.model.Rule;
import io.dragnet.rules.model.SourcePosition;
import io.dragnet.rules.model.Status;
import io.dragnet.storage.ObjectStore;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The rule compiler: a rules folder → parsed rules with source positions → per-source field mapping and IoC
 * expansion → one {@link JobSpec} per source for the day with every rule reading that source fused.
 * Pure apart from reading files through the {@link ObjectStore}; writing is {@link JobWriter}'s job.
 */
public final class RuleCompiler
{
    /** Added to a sandbox job's spec and metrics file names. */
    public static final String SANDBOX_SUFFIX = ".sandbox";
    /** The asset inventory in the enrichment location: CIDR, owner, criticality, description. */
    public static final String ASSET_INVENTORY_FILE = "assets.csv";

    private final ObjectStore store;

    public RuleCompiler(ObjectStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    /**
     * Parses every {@code *.yaml}/{@code *.yml} under {@code rulesLocation} (a URI or local path) and its {@code sources.yaml}:
     * dragnet rules, Sigma rules (converted through the built-in Sigma pipeline and the folder's pipeline files) and pipelines.
     */
    public RuleSet load(String rulesLocation)
    {
        String root = Locations.normalize(rulesLocation);
        String shownRoot = rulesLocation.startsWith("file:") ? shownLocation(root) : Locations.trimSlash(rulesLocation);
        List<Problem> problems = new ArrayList<>();
        List<String> files = store.list(root).stream()
                .filter(file -> file.endsWith(".yaml") || file.endsWith(".yml"))
                .toList();
        SourceCatalog catalog = SourceCatalog.builtIn();
        String sourcesFile = Locations.join(root, SourceCatalog.SOURCES_FILE);
        if (files.contains(sourcesFile) && !new ReadableRoots(List.of(root)).contains(sourcesFile)) {
            problems.add(new Problem(SourcePosition.ofFile(shown(shownRoot, root, sourcesFile)), null,
                    "sources file is a symbolic link leading outside the rules folder; expected a file inside it"));
        }
        else if (files.contains(sourcesFile)) {
            catalog = catalog.withDeclarations(shown(shownRoot, root, sourcesFile), text(sourcesFile), problems::add);
        }
        Map<String, List<YamlNode>> documents = new LinkedHashMap<>();
        ReadableRoots rulesFolder = new ReadableRoots(List.of(root));
        for (String file : files) {
            if (file.equals(sourcesFile)) {
                continue;
            }
            String name = shown(shownRoot, root, file);
            if (!rulesFolder.contains(file)) {
                problems.add(new Problem(SourcePosition.ofFile(name), null, "rule file is a symbolic link leading outside the rules folder; expected files inside it"));
                continue;
            }
            documents.put(file, YamlReader.readDocuments(name, text(file), problems::add));
        }
        SigmaPipelines pipelines = SigmaPipelines.ofSources(catalog, problems::add);
        for (YamlNode document : documents.values().stream().flatMap(List::stream).filter(SigmaPipelines::isPipeline).toList()) {
            pipelines = pipelines.with(document, catalog, problems::add);
        }
        List<RuleSet.LoadedRule> rules = new ArrayList<>();
        List<SigmaRule> sigmaRules = new ArrayList<>();
        List<PendingCorrelation> sigmaCorrelations = new ArrayList<>();
        for (Map.Entry<String, List<YamlNode>> file : documents.entrySet()) {
            int sigmaDocuments = 0;
            for (YamlNode document : file.getValue()) {
                if (SigmaPipelines.isPipeline(document)) {
                    continue;
                }
                if (SigmaConverter.isSigmaCorrelation(document)) {
                    sigmaCorrelations.add(new PendingCorrelation(file.getKey(), shown(shownRoot, root, file.getKey()), sigmaDocuments++, document));
                    continue;
                }
                if (SigmaConverter.isSigmaRule(document)) {
                    SigmaRule sigma = SigmaConverter.convert(shown(shownRoot, root, file.getKey()), sigmaDocuments++, document, pipelines);
                    sigmaRules.add(sigma);
                    sigma.refusals().forEach(refusal -> problems.add(refusal.problem()));
                    sigma.rule().ifPresent(rule -> rules.add(new RuleSet.LoadedRule(rule, file.getKey(), true)));
                    continue;
                }
                RuleParser.parse(document, catalog.names(), problems::add)
                        .ifPresent(parsed -> rules.add(new RuleSet.LoadedRule(parsed.rule(), file.getKey(), parsed.valid())));
            }
        }
        convertSigmaCorrelations(sigmaCorrelations, sigmaRules, pipelines, rules, problems);
        if (files.isEmpty() || (files.size() == 1 && files.contains(sourcesFile))) {
            problems.add(new Problem(SourcePosition.ofFile(shownRoot), null, "no rule files; expected *.yaml files in the rules folder"));
        }
        return new RuleSet(root, catalog, withoutDuplicates(rules, problems), problems, sigmaRules);
    }

    /** A Sigma correlation document waiting for the rules it refers to. */
    private record PendingCorrelation(String file, String shownFile, int index, YamlNode document) {}

    /**
     * Sigma correlations refer to other Sigma rules (and correlations) by id or name, anywhere in the folder: each is
     * converted once every rule it names is known, repeatedly, so chains convert in any file order; what is left refers
     * to rules that do not exist or were refused, and is refused with the reason.
     */
    private static void convertSigmaCorrelations(List<PendingCorrelation> pending, List<SigmaRule> sigmaRules, SigmaPipelines pipelines,
            List<RuleSet.LoadedRule> rules, List<Problem> problems)
    {
        Map<String, String> idByReference = new LinkedHashMap<>();
        Map<String, SigmaPipeline.LogsourceMapping> mappingById = new LinkedHashMap<>();
        Map<String, String> topicById = new LinkedHashMap<>();
        for (SigmaRule sigma : sigmaRules) {
            sigma.rule().ifPresent(rule -> {
                referencesOf(sigma).forEach(reference -> idByReference.put(reference, rule.id()));
                pipelines.resolve(sigma.metadata().logsource()).ifPresent(mapping -> mappingById.put(rule.id(), mapping));
                topicById.put(rule.id(), rule.topic());
            });
        }
        List<PendingCorrelation> left = new ArrayList<>(pending);
        boolean progress = true;
        while (!left.isEmpty()) {
            boolean last = !progress;
            progress = false;
            for (PendingCorrelation correlation : List.copyOf(left)) {
                SigmaConverter.References references = new SigmaConverter.References(Map.copyOf(idByReference), Map.copyOf(mappingById), Map.copyOf(topicById));
                SigmaRule sigma = SigmaConverter.convertCorrelation(correlation.shownFile(), correlation.index(), correlation.document(), references);
                if (!sigma.converted() && !last) {
                    continue;
                }
                left.remove(correlation);
                progress = true;
                sigmaRules.add(sigma);
                sigma.refusals().forEach(refusal -> problems.add(refusal.problem()));
                sigma.rule().ifPresent(rule -> {
                    rules.add(new RuleSet.LoadedRule(rule, correlation.file(), true));
                    referencesOf(sigma).forEach(reference -> idByReference.put(reference, rule.id()));
                    topicById.put(rule.id(), rule.topic());
                });
            }
        }
    }

    private static List<String> referencesOf(SigmaRule sigma)
    {
        List<String> references = new ArrayList<>();
        if (sigma.metadata().uuid() != null) {
            references.add(sigma.metadata().uuid());
        }
        if (sigma.metadata().name() != null) {
            references.add(sigma.metadata().name());
        }
        return references;
    }

    private static List<RuleSet.LoadedRule> withoutDuplicates(List<RuleSet.LoadedRule> rules, List<Problem> problems)
    {
        Map<String, List<RuleSet.LoadedRule>> byId = new LinkedHashMap<>();
        rules.forEach(rule -> byId.computeIfAbsent(rule.rule().id(), id -> new ArrayList<>()).add(rule));
        List<RuleSet.LoadedRule> unique = new ArrayList<>();
        byId.forEach((id, same) -> {
            if (same.size() == 1 || id.equals("(no id)")) {
                unique.addAll(same);
                return;
            }
            for (RuleSet.LoadedRule rule : same) {
                List<String> others = same.stream().filter(other -> other != rule).map(other -> other.rule().position().toString()).toList();
                problems.add(new Problem(rule.rule().position(), id, "duplicate rule id '" + id + "' (also at " + String.join(", ", others)
                        + "); expected every rule id once"));
                unique.add(new RuleSet.LoadedRule(rule.rule(), rule.file(), false));
            }
        });
        return unique;
    }

    /**
     * Decides, once every rule is compiled, which topics run into the sandbox as a whole (a rules folder without the
     * topic's whole published rule set): given each topic's rules that compiled, by status.
     */
    @FunctionalInterface
    public interface TopicGate
    {
        TopicGate PUBLISH_ALL = topics -> Set.of();

        Set<String> sandboxTopics(Map<String, Compilation.TopicRules> topics);
    }

    /** Compiles the rules that parsed into one job per source; rules with problems are reported and left out. */
    public Compilation compile(RuleSet ruleSet, CompileContext context)
    {
        return compile(ruleSet, context, TopicGate.PUBLISH_ALL);
    }

    /**
     * Compiles the rules that parsed into one published job per source, and one sandbox job per source for the rules
     * with {@code status: test} and every rule of a topic the gate sends to the sandbox. Rules with problems are
     * reported and left out.
     */
    public Compilation compile(RuleSet ruleSet, CompileContext context, TopicGate gate)
    {
        List<Problem> problems = new ArrayList<>(ruleSet.problems());
        List<String> notes = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Map<String, List<CompiledRule>> compiledRules = new TreeMap<>();
        Map<String, Compilation.TopicRules> topics = new TreeMap<>();
        IocFileCache iocFiles = new IocFileCache(context, ReadableRoots.of(ruleSet.location(), context.feedLocations()),
                new FeedSnapshots(store, Locations.join(feedFolder(ruleSet.location(), context), FeedSnapshots.SNAPSHOTS_FOLDER)));
        List<RuleSet.LoadedRule> correlations = new ArrayList<>();
        List<RuleSet.LoadedRule> ordered = ruleSet.rules().stream().sorted(Comparator.comparing(loaded -> loaded.rule().id())).toList();
        for (RuleSet.LoadedRule loaded : ordered) {
            Rule rule = loaded.rule();
            if (rule.status() == Status.DISABLED && loaded.valid()) {
                notes.add("rule " + rule.id() + " is disabled; not compiled");
                topics.merge(rule.topic(), Compilation.TopicRules.of(rule.topic(), rule.id(), rule.status()), Compilation.TopicRules::plus);
                continue;
            }
            List<Problem> ruleProblems = new ArrayList<>();
            Map<String, PredicateCompiler.Compiled> compiled = new LinkedHashMap<>();
            Map<String, AggregateSpec> aggregates = new HashMap<>();
            if (rule.kind() == Rule.Kind.CORRELATION) {
                correlations.add(loaded);
                notes.add("rule " + rule.id() + " is a correlation rule; it is checked and compiled into the run's correlation spec, run by the correlation step after the jobs");
                if (loaded.valid()) {
                    topics.merge(rule.topic(), Compilation.TopicRules.of(rule.topic(), rule.id(), rule.status()), Compilation.TopicRules::plus);
                }
                continue;
            }
            for (String sourceName : rule.sources()) {
                SourceDefinition source = ruleSet.catalog().find(sourceName).orElseThrow();
                PredicateCompiler predicates = new PredicateCompiler(rule, source,
                        (reference, kind, minConfidence) -> iocFiles.load(rule, loaded.file(), reference, kind, minConfidence, ruleProblems::add, notes, warnings),
                        ruleProblems::add);
                if (rule.aggregation() != null) {
                    String previousDay = source.locationFor(context.lakeLocation(), context.date().minusDays(1).toString());
                    AggregateCompiler.compile(rule, source, predicates, previousDay, ruleProblems::add).ifPresent(spec -> aggregates.put(sourceName, spec));
                }
                predicates.compile().ifPresent(result -> compiled.put(sourceName, result));
            }
            if (rule.aggregation() != null && aggregates.size() != rule.sources().size()) {
                problems.addAll(ruleProblems);
                continue;
            }
            Map<String, List<String>> outputBySource = new HashMap<>();
            Map<String, List<String>> summaryBySource = new HashMap<>();
            checkFieldList(rule, "output field", rule.outputFields(), ruleSet.catalog(), outputBySource, ruleProblems);
            checkFieldList(rule, "summary_by field", rule.summaryGroupBy(), ruleSet.catalog(), summaryBySource, ruleProblems);
            if (!loaded.valid() || !ruleProblems.isEmpty() || compiled.size() != rule.sources().size()) {
                problems.addAll(ruleProblems);
                continue;
            }
            topics.merge(rule.topic(), Compilation.TopicRules.of(rule.topic(), rule.id(), rule.status()), Compilation.TopicRules::plus);
            compiled.forEach((sourceName, result) -> compiledRules.computeIfAbsent(sourceName, name -> new ArrayList<>()).add(new CompiledRule(rule,
                    ruleSpec(rule, result.predicate(), outputBySource.getOrDefault(sourceName, List.of()), summaryBySource.getOrDefault(sourceName, List.of()),
                            aggregates.get(sourceName)), result.tables())));
        }
        CorrelationChecks.check(correlations, ruleSet, problems::add);
        Set<String> sandboxTopics = Set.copyOf(gate.sandboxTopics(Map.copyOf(topics)));
        List<Compilation.Job> jobs = new ArrayList<>();
        String assetInventory = Locations.join(Locations.trimSlash(context.enrichmentLocation()), ASSET_INVENTORY_FILE);
        boolean inventoryExists = store.exists(assetInventory);
        compiledRules.forEach((sourceName, rules) -> {
            SourceDefinition source = ruleSet.catalog().find(sourceName).orElseThrow();
            for (boolean sandbox : List.of(false, true)) {
                List<CompiledRule> destined = rules.stream()
                        .filter(rule -> sandbox == (rule.rule().status() == Status.TEST || sandboxTopics.contains(rule.rule().topic())))
                        .toList();
                if (destined.isEmpty()) {
                    continue;
                }
                Map<String, IocTable> tables = new TreeMap<>();
                destined.forEach(rule -> rule.tables().forEach(table -> tables.putIfAbsent(table.id(), table)));
                jobs.add(job(source, destined.stream().map(CompiledRule::spec).toList(), tables, context, sandbox, inventoryExists));
            }
        });
        Compilation.CorrelationJob correlationJob = CorrelationCompiler.compile(correlations, ruleSet, jobs.stream().map(Compilation.Job::spec).toList(), context,
                sandboxTopics, CorrelationCompiler.ruleIds(problems), date -> publishedRuns(context, date), problems::add, warnings::add)
                .map(spec -> new Compilation.CorrelationJob(spec, Locations.join(context.runDirectory(), CorrelationSpec.FILE_NAME)))
                .orElse(null);
        return new Compilation(jobs, problems.stream().distinct().sorted().toList(), notes.stream().distinct().toList(), topics, sandboxTopics,
                warnings.stream().distinct().sorted().toList(), correlationJob);
    }

    /** The record of a day's published runs under the results location, if Publish wrote one. */
    private Optional<PublishedRuns> publishedRuns(CompileContext context, String date)
    {
        String location = PublishedRuns.location(context.resultsLocation(), date);
        return store.readIfPresent(location).map(bytes -> PublishedRuns.parse(bytes, location));
    }

    /** One rule compiled for one source, with the IoC tables its predicate joins. */
    private record CompiledRule(Rule rule, JobSpec.RuleSpec spec, List<IocTable> tables) {}

    private static void checkFieldList(Rule rule, String what, List<String> names, SourceCatalog catalog, Map<String, List<String>> resolved, List<Problem> problems)
    {
        for (String name : names) {
            boolean found = false;
            for (String sourceName : rule.sources()) {
                Optional<String> raw = catalog.find(sourceName).orElseThrow().resolve(name);
                if (raw.isPresent()) {
                    found = true;
                    resolved.computeIfAbsent(sourceName, source -> new ArrayList<>()).add(raw.get());
                }
            }
            if (!found) {
                Set<String> known = new LinkedHashSet<>();
                rule.sources().forEach(source -> known.addAll(catalog.find(source).orElseThrow().knownNames()));
                problems.add(new Problem(rule.position(), rule.id(), what + " '" + name + "' is in none of the rule's sources " + rule.sources()
                        + "; expected a field of one of them" + Suggestions.didYouMean(name, known)));
            }
        }
    }

    private static JobSpec.RuleSpec ruleSpec(Rule rule, Predicate predicate, List<String> outputFields, List<String> summaryGroupBy, AggregateSpec aggregate)
    {
        List<String> tags = new ArrayList<>(rule.tags());
        if (rule.status() == Status.TEST) {
            tags.add("status:test");
        }
        JobSpec.TimeWindow window = rule.window() == null ? null : new JobSpec.TimeWindow(
                rule.window().from().format(DateTimeFormatter.ofPattern("HH:mm")),
                rule.window().to().format(DateTimeFormatter.ofPattern("HH:mm")));
        return new JobSpec.RuleSpec(rule.id(), rule.title(), rule.topic(), rule.severity().name().toLowerCase(Locale.ROOT), tags, predicate, window,
                rule.enrich(), outputFields.stream().distinct().toList(), summaryGroupBy.stream().distinct().toList(), aggregate, rule.uuid());
    }

    /**
     * A published job writes the day's run index (switched in by Publish) and the run's documents, rejects, aggregate
     * hits and summaries in the run's own folders of the day ({@code dt=<day>/run=<run>/}), which readers take only once
     * Publish recorded the run ({@link PublishedRuns}); a sandbox job writes the sandbox index family and keeps its files under {@code <results>/sandbox/},
     * away from the history later runs read, so it never changes what is published.
     */
    private static Compilation.Job job(SourceDefinition source, List<JobSpec.RuleSpec> rules, Map<String, IocTable> tables, CompileContext context,
            boolean sandbox, boolean inventoryExists)
    {
        String runDirectory = context.runDirectory();
        String date = context.date().toString();
        List<JobSpec.IocTable> iocTables = new ArrayList<>();
        Map<String, byte[]> tableFiles = new LinkedHashMap<>();
        for (IocTable table : tables.values()) {
            String location = Locations.join(runDirectory, "iocs", table.id() + ".csv");
            iocTables.add(new JobSpec.IocTable(table.id(), table.kind().keyword(), location, table.entries().size()));
            tableFiles.put(location, table.csv());
        }
        Set<String> enrich = new LinkedHashSet<>();
        rules.forEach(rule -> enrich.addAll(rule.enrich()));
        Map<String, String> enrichmentData = new TreeMap<>();
        String enrichment = Locations.trimSlash(context.enrichmentLocation());
        // Who may read a document depends on its asset's criticality, so every job of a home with an inventory looks
        // assets up, whatever enrichments its rules asked for; asking for asset_owner without an inventory fails the job.
        if (enrich.contains("asset_owner") || inventoryExists) {
            enrichmentData.put("asset_inventory", Locations.join(enrichment, ASSET_INVENTORY_FILE));
        }
        if (enrich.contains("geo")) {
            enrichmentData.put("geo_city_blocks", Locations.join(enrichment, "GeoLite2-City-Blocks-IPv4.csv"));
            enrichmentData.put("geo_city_locations", Locations.join(enrichment, "GeoLite2-City-Locations-en.csv"));
            enrichmentData.put("geo_asn", Locations.join(enrichment, "GeoLite2-ASN-Blocks-IPv4.csv"));
        }
        if (enrich.contains("nids_verdict")) {
            enrichmentData.put("verdicts", Locations.join(context.lakeLocation(), "nids_verdicts", "dt=" + date));
        }
        if (enrich.contains("first_last_seen")) {
            enrichmentData.put("history", Locations.join(context.resultsLocation(), RunFolders.DOCUMENTS));
            enrichmentData.put("published", Locations.join(context.resultsLocation(), PublishedRuns.FOLDER));
        }
        if (rules.stream().anyMatch(rule -> rule.aggregate() != null && rule.aggregate().historyDays() > 0)) {
            enrichmentData.put(JobSpec.AGGREGATE_HISTORY, Locations.join(context.resultsLocation(), "aggregate-history"));
        }
        RunFolders folders = new RunFolders(context.resultsLocation(), date, context.runId());
        boolean aggregates = rules.stream().anyMatch(rule -> rule.aggregate() != null);
        JobSpec.Outputs outputs = new JobSpec.Outputs(
                sandbox ? IndexNames.SANDBOX_PREFIX : IndexNames.PREFIX,
                folders.folder(RunFolders.SUMMARIES, sandbox),
                folders.metrics(source.name() + (sandbox ? SANDBOX_SUFFIX : "") + ".metrics.json"),
                folders.sourceFolder(RunFolders.REJECTS, sandbox, source.name()),
                folders.sourceFolder(RunFolders.DOCUMENTS, sandbox, source.name()),
                aggregates ? folders.sourceFolder(RunFolders.AGGREGATES, sandbox, source.name()) : null);
        JobSpec.SourceSpec sourceSpec = new JobSpec.SourceSpec(source.name(), source.format(), source.locationFor(context.lakeLocation(), date), source.timeField(),
                source.schema(), source.mapping(), source.dataset());
        JobSpec spec = new JobSpec(JobSpec.CURRENT_VERSION, context.runId(), date, sourceSpec, rules, iocTables, enrichmentData, outputs);
        return new Compilation.Job(spec, Locations.join(runDirectory, source.name() + (sandbox ? SANDBOX_SUFFIX : "") + ".json"), tableFiles);
    }

    private String text(String location)
    {
        return new String(store.read(location), StandardCharsets.UTF_8);
    }

    /** File names in messages: the folder as the user wrote it plus the path inside it. */
    private static String shown(String shownRoot, String root, String file)
    {
        return file.startsWith(root + "/") ? shownRoot + file.substring(root.length()) : file;
    }

    static String shownLocation(String location)
    {
        if (location.startsWith("file:")) {
            Path path = Path.of(URI.create(location));
            Path current = Path.of("").toAbsolutePath();
            return path.startsWith(current) ? current.relativize(path).toString() : path.toString();
        }
        return location;
    }

    /** The folder fetched feeds live in: the first configured feed folder, else the {@code iocs} folder beside the rules folder. */
    static String feedFolder(String rulesLocation, CompileContext context)
    {
        return context.feedLocations().isEmpty() ? Locations.join(Locations.parent(Locations.normalize(rulesLocation)), "iocs") : context.feedLocations().get(0);
    }

    /** Reads each IoC file once per compilation, whatever the number of rules naming it. */
    private final class IocFileCache
    {
        private final CompileContext context;
        private final ReadableRoots readable;
        private final Map<String, Outcome> loaded = new HashMap<>();

        private record Outcome(IocLoader.Loaded loaded, List<Problem> problems) {}

        private final FeedSnapshots snapshots;

        IocFileCache(CompileContext context, ReadableRoots readable, FeedSnapshots snapshots)
        {
            this.context = context;
            this.readable = readable;
            this.snapshots = snapshots;
        }

        /**
         * A {@code feed:<name>} reference becomes the feed's snapshot of the run's day ({@link CompileContext#feedsAsOf()}),
         * so a past day re-run reads what that day read; any other reference stays as written. Empty (with a problem) when the feed has no snapshot yet.
         */
        private Optional<IocFileReference> snapshotOfTheDay(Rule rule, IocFileReference written, Consumer<Problem> problems)
        {
            if (!written.path().startsWith(FeedSnapshots.REFERENCE_PREFIX)) {
                return Optional.of(written);
            }
            String feed = written.path().substring(FeedSnapshots.REFERENCE_PREFIX.length());
            Optional<String> snapshot = snapshots.forDay(feed, context.feedsAsOf());
            if (snapshot.isEmpty()) {
                problems.accept(new Problem(written.position(), rule.id(), "feed '" + feed + "' has no snapshot fetched on or before " + context.feedsAsOf() + " in "
                        + snapshots.root() + "; expected one from 'dragnet feeds fetch' (or the FetchFeeds step) into that folder"));
                return Optional.empty();
            }
            return Optional.of(new IocFileReference(snapshot.get(), written.format(), written.column(), written.feed() != null ? written.feed() : feed,
                    written.freshness(), written.position()));
        }

        IocLoader.Loaded load(Rule rule, String ruleFile, IocFileReference written, IocKind kind, Integer minConfidence, Consumer<Problem> problems,
                List<String> notes, List<Problem> warnings)
        {
            IocFileReference reference = snapshotOfTheDay(rule, written, problems).orElse(null);
            if (reference == null) {
                return IocLoader.Loaded.FAILED;
            }
            ReadableRoots.Resolution resolution = readable.resolve(ruleFile, reference.path());
            if (resolution.allowed().isEmpty()) {
                problems.accept(new Problem(reference.position(), rule.id(), "IoC file path " + resolution.refusal()));
                return IocLoader.Loaded.FAILED;
            }
            String location = resolution.location();
            String key = location + "|" + kind + "|" + reference.format() + "|" + reference.column() + "|" + reference.feed() + "|" + reference.freshness()
                    + "|" + minConfidence;
            Outcome outcome = loaded.computeIfAbsent(key, ignored -> read(location, reference, kind, minConfidence));
            outcome.problems().forEach(problem -> problems.accept(new Problem(problem.position(), rule.id(), problem.message())));
            outcome.loaded().warnings().forEach(warning -> warnings.add(new Problem(warning.position(), rule.id(), warning.message())));
            if (!outcome.loaded().skipped().isEmpty()) {
                notes.add("rule " + rule.id() + ": " + reference.path() + " (" + kind.keyword() + "): skipped " + new TreeMap<>(outcome.loaded().skipped()).entrySet().stream()
                        .map(entry -> entry.getValue() + " " + entry.getKey()).collect(Collectors.joining(", ")));
            }
            return outcome.loaded();
        }

        private Outcome read(String location, IocFileReference reference, IocKind kind, Integer minConfidence)
        {
            List<Problem> problems = new ArrayList<>();
            String content;
            try {
                content = new String(store.read(location), StandardCharsets.UTF_8);
            }
            catch (DragnetException e) {
                problems.add(new Problem(reference.position(), null, "IoC file '" + reference.path() + "' cannot be read (" + e.getMessage()
                        + "); expected a file relative to the rule file"));
                return new Outcome(IocLoader.Loaded.FAILED, problems);
            }
            IocLoader.Loaded result = IocLoader.load(reference, shownLocation(location), content, kind, context.date(), minConfidence, problems::add);
            return new Outcome(result, problems);
        }
    }
}
