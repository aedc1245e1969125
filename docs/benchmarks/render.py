#!/usr/bin/env python3
"""Renders docs/benchmarks.md from docs/benchmarks/results.jsonl, the JSON lines the benchmarks append.

One row per benchmark and variant (or command): its latest line. Usage: python3 docs/benchmarks/render.py
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE / "results.jsonl"
OUTPUT = HERE.parent / "benchmarks.md"


def k(value):
    return f"{value / 1000:,.1f} k" if value >= 1000 else f"{value:,.0f}"


def ratio(value):
    return f"{value:.2f}×"


def ms(value):
    return f"{value:,.1f} ms"


def nids_scoring(r):
    rates = ""
    if "compiled_rows_per_second" in r:
        rates = f"compiled votes {k(r['compiled_rows_per_second'])} rows/s, MLlib predict {k(r['library_rows_per_second'])} rows/s: "
    return (f"{r['trees']} trees, {r['nodes']:,} nodes, {r['rows']:,} rows: {rates}**{ratio(r['ratio'])}** (lowest round "
            f"{ratio(r['ratio_min'])}), {ratio(r['walk_ratio'])} the branching walk; {r['disagreements']} disagreements")


def nids_stream(r):
    parts = []
    for rate in r["results"]:
        line = f"rate {rate['rate']}: {k(rate['end_to_end_per_second'])} sessions/s end to end"
        if rate.get("landed_in_parquet_per_second"):
            line += f", {k(rate['landed_in_parquet_per_second'])}/s into Parquet"
        end_to_end = rate.get("latency", {}).get("end_to_end")
        if end_to_end:
            line += f", p99 {ms(end_to_end['p99_ms'])}"
        parts.append(line)
    return f"{r['mode']}, {r['pipeline']}, {r['partitions']} partitions: " + "; ".join(parts)


def nids_scorer_path(r):
    stages = "; ".join(f"{stage} {value:.2f}" for stage, value in r["us_per_session_by_stage"].items())
    return f"**{r['us_per_session_total']:.2f} µs per session** on one thread ({stages} µs)"


def extraction(r):
    return (f"{r['records']:,} records, {r['iocs']:,} IoCs: job {r['job_seconds']} s against a bare scan {min(r['bare_scan_seconds'])} s "
            f"(**{ratio(r['job_over_bare_scan'])}**); {r['job_records_per_second_per_core']:,} records/s per core; "
            f"peak heap {r['peak_heap_mb']:,} MB")


def lookup(r):
    results = r["results"]
    parts = [f"{name} p50 {ms(v['p50_ms'])} / p95 {ms(v['p95_ms'])} / p99 {ms(v['p99_ms'])}" for name, v in results.items()]
    return f"{r['docs']:,} documents: " + "; ".join(parts) + f"; lookup p95 {ms(r['lookup_p95_ms'])} against the {r['target_p95_ms']:.0f} ms target"


def fused(r):
    rows = "; ".join(f"{row['rules']} rules {ratio(row['ratio'])}" for row in r["rows"])
    text = f"{r['rows'][0]['records']:,} records, {r['iocs']:,} IoCs, per-rule jobs / fused job: {rows}"
    if r.get("keywords"):
        kw = r["keywords"]
        text += f"; {kw['keywords']:,} keywords: Aho-Corasick {kw['ahoCorasickSeconds']:.1f} s vs OR of LIKE {kw['orOfLikeSeconds']:.1f} s ({ratio(kw['ratio'])})"
    return text


def aggregate_rules(r):
    runs = (lambda key: f" (median of {', '.join(f'{run:.1f}' for run in r[key])})" if key in r else "")
    text = (f"{r['records']:,} records: 50 record rules {r['recordRulesSeconds']:.1f} s{runs('recordRulesRunSeconds')}, "
            f"+ 10 aggregate rules fused {r['fusedSeconds']:.1f} s{runs('fusedRunSeconds')} "
            f"(**{ratio(r['fusedOverRecordRules'])}** the record rules alone), the 10 aggregate rules one job each {r['separateAggregateSeconds']:.1f} s "
            f"(**{ratio(r['separateOverFusedAggregateCost'])}** what they add to the fused pass, {ratio(r['separateOverFused'])} the whole fused pass); "
            + (f"the 10 aggregate rules as hand-written Spark queries {r['sparkQueriesSeconds']:.1f} s "
               f"(**{ratio(r['sparkQueriesOverFusedAggregateCost'])}** what they add to the fused pass, {ratio(r['sparkQueriesOverFused'])} the whole fused pass; "
               f"the same hits as the fused pass, {sum(r['aggregateRuleHits'].values()):,} in all: "
               + ", ".join(f"{rule} {hits:,}" for rule, hits in r["aggregateRuleHits"].items()) + "); "
               if "sparkQueriesSeconds" in r else "")
            + (f"a distinct source per record, in a JVM capped at {r['distinctSourcesHeapCap']} of heap: {r['distinctSourcesSeconds']:.1f} s, "
               f"at most {r['distinctSourcesHeapAfterCollectionBytes'] / 2**20:,.0f} MB in use after a collection "
               f"({r['tenthDistinctSourcesHeapAfterCollectionBytes'] / 2**20:,.0f} MB with a tenth of the sources)"
               if "distinctSourcesHeapCap" in r else
               f"a distinct source per record: {r['distinctSourcesSeconds']:.1f} s, peak heap {r['distinctSourcesPeakHeapBytes'] / 2**20:,.0f} MB"))
    if "floorExchangeSeconds" in r:
        text += (f"; floor: the aggregate fields' rows through a bare sorted exchange {r['floorExchangeSeconds']:.1f} s against reading them "
                 f"{r['floorScanSeconds']:.1f} s, so a fused pass that shuffles those rows cannot go below **{ratio(r['floorOverRecordRules'])}** the record rules alone")
        if "floorUnsortedExchangeSeconds" in r:
            text += (f" (the same exchange unsorted, as a hashing reducer would need: {r['floorUnsortedExchangeSeconds']:.1f} s, "
                     f"**{ratio(r['floorUnsortedOverRecordRules'])}**)")
    if "fusedStageSeconds" in r:
        stages = ", ".join(f"{stage} {r['recordRulesStageSeconds'].get(stage, 0):.1f} → {seconds:.1f} s"
                           for stage, seconds in r["fusedStageSeconds"].items() if seconds >= 0.05)
        text += f"; stages, record rules alone → fused: {stages}"
    return text


def sigma_fused(r):
    scaled = f" (measured on {r['perRuleJobsRun']} rules, scaled)" if r["perRuleJobsRun"] < r["rules"] else ""
    return (f"{r['records']:,} proxy records, {r['rules']} converted Sigma rules: fused {r['fusedSeconds']:.1f} s, one job per rule "
            f"{r['perRuleSeconds']:.1f} s{scaled} (**{ratio(r['perRuleOverFused'])}**), bare scan {r['bareScanSeconds']:.1f} s"
            + (" (mean of one before and one after the fused job)" if "bareScanSecondsBeforeAndAfter" in r else "")
            + f" (fused / bare **{ratio(r['fusedOverBareScan'])}**); {r['fusedHits']:,} hits"
            + ("; fused job stages: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in r["fusedStageSeconds"].items() if seconds >= 0.05)
               if "fusedStageSeconds" in r else ""))


def nids_model(r):
    h, s = r["holdout"], r["stream_path"]
    text = (f"holdout accuracy {h['accuracy']:.4f} / FPR {h['fpr']:.3f}; stream path {s['accuracy']:.4f} / FPR {s['fpr']:.3f}")
    if "cv_accuracy" in r:
        text += f"; {r['folds']}-fold CV {r['cv_accuracy']:.4f} (sd {r['cv_sd']:.4f})"
    return text


def lake_format(r):
    text = (f"{r['records']:,} conn records, {r['rules']} rules, {r['iocs']:,} IoCs: job over the raw TSV day {min(r['tsv_job_seconds'])} s, "
            f"over the imported Parquet day {min(r['parquet_job_seconds'])} s (**{ratio(r['tsv_over_parquet'])}**)")
    if "columns_read" in r:
        text += (f", reading {r['columns_read']} of its {r['columns']} columns; the same rules keeping whole records (every column read) "
                 f"{min(r['parquet_all_columns_job_seconds'])} s ({ratio(r['all_columns_over_pruned'])} the pruned read)")
    return text + (f"; scan stage {r['tsv_scan_stage_seconds']} s vs {r['parquet_scan_stage_seconds']} s; import (once per day) {r['import_seconds']} s, "
                   f"{k(r['import_records_per_second'])} records/s; {r['tsv_bytes'] / 1e6:,.0f} MB TSV → {r['parquet_bytes'] / 1e6:,.0f} MB Parquet")


def backfill(r):
    return (f"{r['days']} days × {r['records_per_day']:,} conn records, {r['rules']} rules: {r['single_day_runs']} daily runs of one day "
            f"{r['single_day_runs_seconds']:,.1f} s ({r['seconds_per_day_single']:.2f} s/day), one backfill run of {r['days']} days "
            f"{r['backfill_seconds']:,.1f} s ({r['seconds_per_day_backfill']:.2f} s/day): **{ratio(r['single_over_backfill'])}**; "
            f"same hits both ways {r['matched_per_rule']}")


FORMATS = {
    "backfill": backfill,
    "lake-format": lake_format,
    "nids-scoring": nids_scoring,
    "nids-stream": nids_stream,
    "nids-scorer-path": nids_scorer_path,
    "extraction": extraction,
    "opensearch_lookup": lookup,
    "fused-vs-per-rule": fused,
    "aggregate-rules": aggregate_rules,
    "sigma-fused-vs-per-rule": sigma_fused,
    "nids-model": nids_model,
}


def describe(r):
    formatter = FORMATS.get(r["benchmark"])
    text = formatter(r) if formatter else ", ".join(f"{key} {value}" for key, value in r.items()
                                                     if isinstance(value, (int, float)) and key not in ("cores",))
    if r.get("note"):
        text += f" — {r['note']}"
    return text


def main():
    rows = {}
    for number, line in enumerate(RESULTS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            result = json.loads(line)
        except json.JSONDecodeError as e:
            sys.exit(f"{RESULTS}:{number}: not a JSON line ({e.msg})")
        for field in ("benchmark", "command", "date", "cores", "cpu_model"):
            if field not in result:
                sys.exit(f"{RESULTS}:{number}: missing '{field}'; expected the fields every benchmark writes")
        rows[(result["benchmark"], result.get("variant") or result["command"])] = result
    out = ["# Benchmarks", "",
           "Generated by `python3 docs/benchmarks/render.py` from `docs/benchmarks/results.jsonl`: each benchmark appends its",
           "JSON line there when it runs (or to `$DRAGNET_BENCH_RESULTS`); this table shows the latest line of each benchmark",
           "and variant (or command).",
           "Do not edit by hand. Figures from one host do not compare with another's: the CPU and cores are part of each row.",
           "",
           "| benchmark | figures | command | date | CPU | cores |",
           "|---|---|---|---|---|---|"]
    for (name, _), r in sorted(rows.items()):
        title = name + (f" ({r['variant']})" if r.get("variant") else "")
        out.append(f"| {title} | {describe(r)} | `{r['command']}` | {r['date']} | {r['cpu_model']} | {r['cores']} |")
    OUTPUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(rows)} benchmarks)")


if __name__ == "__main__":
    main()
