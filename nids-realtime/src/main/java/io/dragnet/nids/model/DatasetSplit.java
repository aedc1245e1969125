package io.dragnet.nids.model;

import io.dragnet.nids.data.UnswRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Deduplication and stratified splits of labelled rows, deterministic for a seed. Rows are duplicates when every
 * model feature, the attack category and the label agree (the dataset's id is ignored), so no copy of a holdout row
 * can sit in the training part.
 */
public final class DatasetSplit
{
    private DatasetSplit() {}

    public record Split(List<UnswRow> training, List<UnswRow> holdout) {}

    public static List<UnswRow> deduplicate(List<UnswRow> rows)
    {
        ModelFeatures raw = ModelFeatures.fit(rows, FeatureSet.ALL);
        Set<String> seen = new HashSet<>();
        List<UnswRow> unique = new ArrayList<>();
        for (UnswRow row : rows) {
            String key = Arrays.toString(raw.allFeatures(row)) + '|' + row.attackCategory() + '|' + row.label();
            if (seen.add(key)) {
                unique.add(row);
            }
        }
        return unique;
    }

    /** Holds out {@code holdoutFraction} of each label, chosen by a shuffle with {@code seed}. */
    public static Split stratified(List<UnswRow> rows, double holdoutFraction, long seed)
    {
        List<UnswRow> training = new ArrayList<>();
        List<UnswRow> holdout = new ArrayList<>();
        for (List<UnswRow> stratum : strata(rows, seed)) {
            int holdoutSize = (int) Math.round(stratum.size() * holdoutFraction);
            holdout.addAll(stratum.subList(0, holdoutSize));
            training.addAll(stratum.subList(holdoutSize, stratum.size()));
        }
        return new Split(training, holdout);
    }

    /** k stratified folds: fold i is the holdout of split i, the other folds its training part. */
    public static List<Split> folds(List<UnswRow> rows, int k, long seed)
    {
        List<List<UnswRow>> folds = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            folds.add(new ArrayList<>());
        }
        for (List<UnswRow> stratum : strata(rows, seed)) {
            for (int i = 0; i < stratum.size(); i++) {
                folds.get(i % k).add(stratum.get(i));
            }
        }
        List<Split> splits = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            List<UnswRow> training = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    training.addAll(folds.get(j));
                }
            }
            splits.add(new Split(training, folds.get(i)));
        }
        return splits;
    }

    private static List<List<UnswRow>> strata(List<UnswRow> rows, long seed)
    {
        List<UnswRow> normal = new ArrayList<>();
        List<UnswRow> malicious = new ArrayList<>();
        for (UnswRow row : rows) {
            (row.label() == 1 ? malicious : normal).add(row);
        }
        Random random = new Random(seed);
        Collections.shuffle(normal, random);
        Collections.shuffle(malicious, random);
        return List.of(normal, malicious);
    }
}
