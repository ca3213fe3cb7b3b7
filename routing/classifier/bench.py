"""`make bench`: held-out accuracy of the router and in-process latency of route().

Accuracy: a fixed, tier-stratified 20% split of the corpus (seed in training.SEED); the model
is fitted on the other 80% only, with the same variant the server uses. Latency: route() as
the server calls it (the shipped parameters), >= 5,000 calls after a warm-up, p50 and p99.
Targets: held-out tier accuracy >= 0.90; p99 <= 1 ms.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import sys
import time

ACCURACY_TARGET = 0.90
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

    from routing.classifier import route
    from routing.classifier.corpus import HEADS, load_corpus
    from routing.classifier.model import RouterModel, get_model
    from routing.classifier.training import (
        DEFAULT_VARIANT,
        SEED,
        VARIANTS,
        evaluate,
        fit_parameters,
        held_out_split,
    )

    examples = load_corpus()
    train, test = held_out_split(examples)
    print(
        f"Corpus {len(examples)} rows; held-out split {len(test)} rows (seed {SEED}), "
        f"model fitted on the other {len(train)} only; variant '{DEFAULT_VARIANT}'."
    )
    started = time.perf_counter()
    held_out_model = RouterModel.from_parameters(fit_parameters(train, VARIANTS[DEFAULT_VARIANT]))
    print(f"Fit time: {time.perf_counter() - started:.1f}s")
    reports = evaluate(test, held_out_model.predict_labels)
    tier = reports["tier"]
    print()
    print(tier.render())
    print()
    for head in HEADS[1:]:
        report = reports[head]
        print(f"{head:<10} accuracy {report.accuracy:.3f}  macro-F1 {report.macro_f1:.3f}")

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
    accuracy_ok = tier.accuracy >= ACCURACY_TARGET
    latency_ok = p99 <= P99_TARGET_MS
    print(
        f"Held-out tier accuracy {tier.accuracy:.3f} (target >= {ACCURACY_TARGET:.2f}): "
        f"{'MET' if accuracy_ok else 'MISSED'}"
    )
    print(
        f"route() wall-clock p99 {p99:.3f} ms (target <= {P99_TARGET_MS:.1f} ms): "
        f"{'MET' if latency_ok else 'MISSED'}"
    )
    return 0 if accuracy_ok and latency_ok else 1


if __name__ == "__main__":
    sys.exit(main())
