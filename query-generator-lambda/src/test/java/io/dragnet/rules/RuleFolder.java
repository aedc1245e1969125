package io.dragnet.rules;

import io.dragnet.storage.LocalObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** Test helper: a rules folder written from inline YAML, compiled for 2018-11-02. */
final class RuleFolder
{
    static final LocalDate DAY = LocalDate.parse("2018-11-02");

    private final Path root;

    RuleFolder(Path root)
    {
        this.root = root;
    }

    RuleFolder file(String name, String content)
    {
        try {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root()
    {
        return root;
    }

    Compilation compile()
    {
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        return compiler.compile(compiler.load(root.resolve("rules").toString()), context());
    }

    CompileContext context()
    {
        return new CompileContext(DAY, "run-1", "file:///lake", root.resolve("work").toUri().toString().replaceAll("/$", ""), "file:///results", "file:///enrichment");
    }

    /** Problems as {@code file:line:column: rule id: message} with the file relative to the rules folder. */
    List<String> problems()
    {
        String prefix = root.resolve("rules") + "/";
        return compile().problems().stream().map(problem -> problem.toString().replace(prefix, "")).toList();
    }

    /** Warnings (values skipped from IoC files) as {@code file:line:column: rule id: message}, files relative to the folder. */
    List<String> warnings()
    {
        String prefix = root + "/";
        return compile().warnings().stream().map(warning -> warning.toString().replace(prefix, "")).toList();
    }

    /** A minimal valid rule with {@code match} replaced. */
    static String rule(String id, String sources, String match)
    {
        return "id: " + id + "\n"
                + "title: Test rule\n"
                + "topic: c2\n"
                + "owner: tests\n"
                + "sources: " + sources + "\n"
                + "match:\n" + match;
    }
}
