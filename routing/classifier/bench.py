"""`make bench`: how right the router is, four ways, and how fast route() is (not a test).

(a) a fixed, tier-stratified 20% split of the corpus, fitted on the other 80%; (b) leave one
writer out: each writer's rows scored by a model fitted without them, served with the step-up
threshold that measurement chooses; (c) the fresh-writer evaluation set (routing/data/eval/,
never trained on) through route() as served, with per-dimension accuracy, how often step-up
fired and how many small tasks went to frontier; (d) the scenario bank's answer keys. Then
route() latency: >= 5,000 calls after a warm-up, p50 and p99, with the load average.
Targets: (c) tier >= 0.92 with small->frontier <= 1%; (d) >= 0.97; p99 <= 1 ms.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time

P99_TARGET_MS = 1.0
CALLS = 6000
WARM_UP = 1000


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()

    import yaml
    from django.conf import settings

    from routing.classifier import route
    from routing.classifier.corpus import EVAL_DIR, HEADS, load_corpus
    from routing.classifier.model import RouterModel, get_model
    from routing.classifier.training import (
        DEFAULT_VARIANT,
        SEED,
        VARIANTS,
        _report,
        choose_step_up_threshold,
        evaluate,
        fit_parameters,
        held_out_split,
        leave_one_writer_out,
        reports_from,
    )

    print(f"Load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    examples = load_corpus()
    config = VARIANTS[DEFAULT_VARIANT]
    writers = sorted({e.writer for e in examples})
    print(f"Corpus {len(examples)} rows from {len(writers)} writers; variant '{DEFAULT_VARIANT}'.")

    # (a) held-out split
    train, test = held_out_split(examples)
    held_out_model = RouterModel.from_parameters(fit_parameters(train, config))
    tier = evaluate(test, held_out_model.predict_labels)["tier"]
    print(f"\n(a) held-out split ({len(test)} rows, seed {SEED}, fitted on the other {len(train)})")
    print(tier.render())

    # (b) leave one writer out
    threshold = None
    if len(writers) >= 2:
        results = leave_one_writer_out(examples, config)
        threshold, scores = choose_step_up_threshold(results)
        served = reports_from(results, threshold)["tier"]
        print(f"\n(b) leave-one-writer-out, served with step-up at {threshold:.2f}")
        print(served.render())
        for writer in writers:
            mine = [(e, p) for e, p in results if e.writer == writer]
            accuracy = reports_from(mine, threshold)["tier"].accuracy
            print(f"  {writer:<10} {len(mine):>5} rows  tier accuracy {accuracy:.3f}")

    # (c) the fresh-writer evaluation set, through route() as the server serves it
    fresh = load_corpus(EVAL_DIR) if EVAL_DIR.exists() else []
    if fresh:
        decisions = [route(e.text) for e in fresh]
        tiers = [d.tier for d in decisions]
        report = _report("tier", [e.tier for e in fresh], tiers)
        small = [i for i, e in enumerate(fresh) if e.tier == "small"]
        small_to_frontier = sum(tiers[i] == "frontier" for i in small)
        fired = sum(d.stepped_up for d in decisions)
        print(f"\n(c) fresh-writer set ({len(fresh)} rows, never trained on), served")
        print(report.render())
        print(
            f"  small rows sent to frontier: {small_to_frontier} of {len(small)} "
            f"({small_to_frontier / max(len(small), 1):.1%}); step-up fired on {fired} "
            f"({fired / len(fresh):.1%})"
        )
        for head in HEADS[1:]:
            truth = [e.label(head) for e in fresh]
            predicted = [d.dimension(head).label for d in decisions]
            dim = _report(head, truth, predicted)
            print(f"  {head:<10} accuracy {dim.accuracy:.3f}  macro-F1 {dim.macro_f1:.3f}")
        fresh_accuracy = report.accuracy
        fresh_small_frontier = small_to_frontier / max(len(small), 1)
    else:
        print("\n(c) no fresh-writer set in routing/data/eval/")
        fresh_accuracy, fresh_small_frontier = 0.0, 1.0

    # (d) the scenario bank's answer keys
    # The drill bank is practice's content, read as a file (routing does not import practice).
    scenarios = settings.BASE_DIR / "practice" / "content" / "scenarios.yaml"
    bank = yaml.safe_load(scenarios.read_text("utf-8"))
    routed = [(item, route(item["task"]).tier) for item in bank]
    agree = sum(tier == item["correct_tier"] for item, tier in routed)
    print(
        f"\n(d) scenario bank: the router agrees with {agree} of {len(bank)} answer keys "
        f"({agree / len(bank):.3f})"
    )
    for item, tier in routed:
        if tier != item["correct_tier"]:
            print(f"  {item['slug']}: key {item['correct_tier']}, router {tier}")
    bank_accuracy = agree / len(bank)

    # --- latency of route() as the server runs it -------------------------------------------
    get_model()
    texts = [e.text for e in test] or ["Tag every inbound ticket"]
    for i in range(WARM_UP):
        route(texts[i % len(texts)])
    gc.collect()
    timings, cpu = [], []
    for i in range(CALLS):
        text = texts[i % len(texts)]
        started_cpu = time.thread_time_ns()
        started_ns = time.perf_counter_ns()
        route(text)
        timings.append((time.perf_counter_ns() - started_ns) / 1e6)
        cpu.append((time.thread_time_ns() - started_cpu) / 1e6)
    timings.sort()
    cpu.sort()
    p50 = statistics.median(timings)
    p99 = percentile(timings, 99)
    mean_chars = sum(len(t) for t in texts) / len(texts)
    print()
    print(
        f"route() latency over {CALLS} calls after {WARM_UP} warm-up calls "
        f"(held-out texts, mean {mean_chars:.0f} chars), {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f}:"
    )
    print(f"  wall clock: p50 {p50:.3f} ms   p99 {p99:.3f} ms   max {timings[-1]:.3f} ms")
    print(
        f"  CPU time:   p50 {statistics.median(cpu):.3f} ms   p99 {percentile(cpu, 99):.3f} ms "
        "(this thread's own work; unaffected by other processes taking the CPU)"
    )
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(
            "  Note: the machine is busier than its CPU count, so the wall-clock tail includes "
            "time this process spent waiting to be scheduled."
        )

    print()
    targets = [
        ("(c) fresh-writer tier accuracy >= 0.92", fresh_accuracy >= 0.92),
        ("(c) small rows sent to frontier <= 1%", fresh_small_frontier <= 0.01),
        ("(d) scenario keys >= 0.97", bank_accuracy >= 0.97),
        (f"route() p99 <= {P99_TARGET_MS:.1f} ms", p99 <= P99_TARGET_MS),
    ]
    for label, met in targets:
        print(f"  [{'met' if met else 'MISSED'}] {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
