"""``--model vllm_n``: lm-eval's vLLM model, with the ``repeats`` clones of a request
drawn as one vLLM request with ``SamplingParams(n=...)``.

* Sample i of a problem has its own seed, ``base_seed(run seed, prompt) + i`` (vLLM
  seeds child i of an n-request with seed + i), so the same command draws the same
  samples and no two samples of a problem share a seed. The run seed is the ``seed``
  model arg, or a ``seed`` in the generation kwargs.
* Every response is a :class:`GeneratedText`: a ``str`` that also carries its finish
  reason and generated-token count.
* ``sample_cache=<folder>`` stores each sample as it finishes; a rerun of a killed
  run generates only the missing ones.
* Requests that are not repeated (stock tasks) go to the upstream code unchanged.

Every upstream ``--model_args`` is accepted.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from lm_eval.models.utils import maybe_truncate, postprocess_generated_text
from lm_eval.models.vllm_causallms import VLLM
from tqdm import tqdm
from vllm import SamplingParams, TokensPrompt
from vllm.sampling_params import RequestOutputKind

from .sample_cache import SampleCache, request_fingerprint
from .samples import GeneratedText, Sample, base_seed, group_by_identity, missing_runs

# under lm-eval's logger, so the CLI's handler and --verbosity apply to our progress lines
log = logging.getLogger("lm_eval.passk.vllm_n")

_GREEDY_TEMPERATURE = 1e-5  # vLLM's threshold: below it, sampling is greedy and n must be 1
_COMPLETE = ("stop", "length")  # finish reasons of a sample worth keeping
# Only vLLM versions with a per-request stream_interval can skip the per-token outputs.
_STREAM_ONLY_FIRST_AND_LAST = (
    {"stream_interval": 2**31 - 1} if "stream_interval" in getattr(SamplingParams, "__struct_fields__", ())
    else {}
)


@dataclass(frozen=True)
class _Problem:
    """One repeated request, prepared once for all its samples."""

    prompt: list[int]
    sampling: dict[str, Any]
    """SamplingParams keywords, without n and seed."""
    until: list[str]
    n: int
    """Samples to return."""
    distinct: int
    """Samples to draw: n, or 1 under greedy decoding (all n would be the same)."""
    fingerprint: str
    base_seed: int


class VLLMN(VLLM):
    """lm-eval's ``vllm`` model; repeated requests are sampled with n=, seeded and cached."""

    def __init__(self, pretrained: str, sample_cache: str | None = None, **kwargs: Any) -> None:
        # before the model loads, so a bad folder fails at once
        self._cache = None if sample_cache is None else SampleCache(sample_cache)
        super().__init__(pretrained, **kwargs)
        args = self.model_args
        identity = ("model", "revision", "tokenizer", "tokenizer_revision", "dtype", "quantization")
        self._model_identity = {key: args.get(key) for key in identity}
        self._model_identity["lora"] = kwargs.get("lora_local_path")
        self._run_seed = int(args["seed"])
        self._request_ids = itertools.count()

    def generate_until(self, requests, disable_tqdm: bool = False) -> list[str]:
        results: list[str | None] = [None] * len(requests)
        groups = group_by_identity(requests)
        singles = [group[0] for group in groups if len(group) == 1]
        if singles:
            for position, text in zip(singles, super().generate_until([requests[p] for p in singles], disable_tqdm)):
                results[position] = text
        repeated = [group for group in groups if len(group) > 1]
        if repeated:
            problems = self._prepare([requests[group[0]] for group in repeated], [len(g) for g in repeated])
            for group, problem, samples in zip(repeated, problems, self._draw(problems, disable_tqdm)):
                for position, sample in zip(group, samples):
                    results[position] = GeneratedText(
                        postprocess_generated_text(sample.text, problem.until, self.think_end_token),
                        finish_reason=sample.finish_reason,
                        num_tokens=sample.num_tokens,
                        seed=sample.seed,
                    )
        return results

    def _prepare(self, requests, counts: list[int]) -> list[_Problem]:
        eos = self.tokenizer.decode(self.eot_token_id) or getattr(self.tokenizer, "eos_token", None)
        contexts = [request.args[0] for request in requests]
        problems = []
        for tokens, request, n in zip(self.tok_encode(contexts), requests, counts):
            kwargs, until, max_gen_toks = self.modify_gen_kwargs(
                request.args[1], eos=eos, default_max_gen_toks=self.max_gen_toks
            )
            kwargs.pop("n", None)  # the task's repeats decide n
            # A seed among the generation kwargs seeds the run, not every sample alike.
            seed = kwargs.pop("seed", None)
            run_seed = self._run_seed if seed is None else int(seed)
            tokens, max_gen_toks = maybe_truncate(
                tokens, max_gen_toks=max_gen_toks, max_model_len=self.max_length,
                side=self.truncation_side, verbose=True,
            )
            # as upstream: with a thinking model only EOS stops vLLM; task stops cut afterwards
            stop = [s for s in until if s == eos] if self.think_end_token else until
            sampling = {**kwargs, "max_tokens": max_gen_toks, "stop": stop}
            fingerprint = request_fingerprint(
                {"model": self._model_identity, "prompt": tokens, "sampling": sampling, "run_seed": run_seed}
            )
            greedy = float(kwargs.get("temperature", 1.0)) < _GREEDY_TEMPERATURE
            distinct = 1 if greedy else n
            problems.append(_Problem(tokens, sampling, until, n, distinct, fingerprint, base_seed(run_seed, tokens)))
        return problems

    def _draw(self, problems: list[_Problem], disable_tqdm: bool) -> list[list[Sample]]:
        """All samples of every problem: from the cache where stored, else generated."""
        found = [{} if self._cache is None else self._cache.load(p.fingerprint, p.distinct) for p in problems]
        todo = [(i, run) for i, p in enumerate(problems) for run in missing_runs(found[i], p.distinct)]
        wanted = sum(p.distinct for p in problems)
        missing = sum(count for _, (_, count) in todo)
        log.info("vllm_n: %d of %d samples from the sample cache, %d to generate", wanted - missing, wanted, missing)
        if todo:
            generate = self._generate_streaming if self.data_parallel_size <= 1 else self._generate_at_once
            generate(problems, todo, found, disable_tqdm)
        return [[found[i][j % p.distinct] for j in range(p.n)] for i, p in enumerate(problems)]

    def _params(self, problem: _Problem, start: int, count: int, **extra: Any) -> SamplingParams:
        return SamplingParams(n=count, seed=problem.base_seed + start, **problem.sampling, **extra)

    def _generate_streaming(self, problems, todo, found, disable_tqdm: bool) -> None:
        """One engine request per run of missing samples; each sample is stored as it finishes."""
        engine = self.model.llm_engine
        owners: dict[str, tuple[int, int]] = {}
        for i, (start, count) in todo:
            request_id = f"vllm_n-{next(self._request_ids)}"
            params = self._params(problems[i], start, count, output_kind=RequestOutputKind.DELTA,
                                  **_STREAM_ONLY_FIRST_AND_LAST)
            prompt = TokensPrompt(prompt_token_ids=problems[i].prompt)
            engine.add_request(request_id, prompt, params, lora_request=self.lora_request)
            owners[request_id] = (i, start)
        texts: dict[tuple[str, int], list[str]] = defaultdict(list)
        tokens: dict[tuple[str, int], int] = defaultdict(int)
        total = sum(count for _, (_, count) in todo)
        bar = tqdm(total=total, disable=disable_tqdm or self.rank != 0, desc="vllm_n sampling")
        try:
            while engine.has_unfinished_requests():
                finished = []
                for output in engine.step():
                    if output.request_id not in owners:
                        continue
                    i, start = owners[output.request_id]
                    for piece in output.outputs:
                        key = (output.request_id, piece.index)
                        texts[key].append(piece.text)
                        tokens[key] += len(piece.token_ids)
                        if piece.finish_reason is not None:
                            text, count = "".join(texts.pop(key)), tokens.pop(key)
                            finished.append(_record(problems[i], found[i], start + piece.index, text, piece, count))
                if finished:
                    self._keep(finished)
                    bar.update(len(finished))
        except BaseException:  # e.g. Ctrl-C: what finished is stored; leave the engine empty
            engine.abort_request(list(owners))
            raise
        finally:
            bar.close()

    def _generate_at_once(self, problems, todo, found, disable_tqdm: bool) -> None:
        """Data parallel: upstream's Ray dispatch returns all samples together at the end."""
        outputs = self._model_generate(
            requests=[problems[i].prompt for i, _ in todo],
            generate=True,
            sampling_params=[self._params(problems[i], start, count) for i, (start, count) in todo],
        )
        self._keep([
            _record(problems[i], found[i], start + piece.index, piece.text, piece, len(piece.token_ids))
            for (i, (start, _)), output in zip(todo, outputs)
            for piece in output.outputs
        ])

    def _keep(self, finished: list[tuple[str, int, Sample]]) -> None:
        """Store complete samples; an aborted one is returned but drawn again on a rerun."""
        complete = [item for item in finished if item[2].finish_reason in _COMPLETE]
        if complete and self._cache is not None:
            self._cache.store(complete)


def _record(problem: _Problem, found: dict[int, Sample], index: int, text: str, piece, num_tokens: int):
    """Sample ``index`` of ``problem``, finished as vLLM's CompletionOutput ``piece`` says: noted in
    ``found`` and returned as a (fingerprint, index, sample) row for the cache."""
    sample = Sample(text, piece.finish_reason and str(piece.finish_reason), num_tokens, problem.base_seed + index)
    found[index] = sample
    return problem.fingerprint, index, sample
