package io.dragnet.rules.sigma;

import io.dragnet.rules.Compilation;
import io.dragnet.rules.CompileContext;
import io.dragnet.rules.RuleCompiler;
import io.dragnet.rules.RuleSet;
import io.dragnet.storage.LocalObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/** A rules folder (or the folder of one file) loaded and compiled as {@code dragnet rules validate} does, for the sigma commands. */
record SigmaFolder(RuleSet ruleSet, Compilation compilation, String onlyFile)
{
    static SigmaFolder load(String fileOrFolder)
    {
        Path path = Path.of(fileOrFolder);
        String folder = Files.isRegularFile(path) ? (path.getParent() == null ? "." : path.getParent().toString()) : fileOrFolder;
        RuleCompiler compiler = new RuleCompiler(new LocalObjectStore());
        RuleSet ruleSet = compiler.load(folder);
        Compilation compilation = compiler.compile(ruleSet, new CompileContext(LocalDate.of(2000, 1, 1), "sigma", "file:///lake", "file:///work", "file:///results",
                "file:///enrichment"));
        return new SigmaFolder(ruleSet, compilation, Files.isRegularFile(path) ? path.getFileName().toString() : null);
    }

    /** The Sigma rules of the folder, or of the one file named. */
    List<SigmaRule> sigmaRules()
    {
        if (onlyFile == null) {
            return ruleSet.sigmaRules();
        }
        String stem = SigmaConverter.ruleId(onlyFile, 0);
        return ruleSet.sigmaRules().stream().filter(rule -> rule.id().equals(stem) || rule.id().startsWith(stem + "-")).toList();
    }
}
