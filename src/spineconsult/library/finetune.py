"""Fine-tuning all-MiniLM-L6-v2 on judged question pairs with low-rank adapters (PyTorch, optional).

Only `spineconsult library learn` and the benchmark use this module; it needs the `learn` extra
(`pip install torch==2.13.0`, a CPU build). The library itself never imports PyTorch: the factors
learned here are saved by `adapter.py` and merged into the numpy weights when the encoder loads.

The encoder is the same BERT forward pass as `embeddings.py`, written with torch operations. Each of
the six linear maps of the top `layers` layers gets a low-rank update W + B A (A: rank x in, B: out x
rank, B starting at zero so training starts from the zero-shot model); everything else stays frozen.
The hidden states entering the first adapted layer do not change during training, so they are
computed once per text and cached: an epoch costs only the adapted layers.

Loss, per batch of anchors (a question with a text judged the same):
- ranking: each anchor must pick its own positive among every positive and every hard negative of
  the batch (softmax over scaled cosines; texts judged different from an anchor are its hard
  negatives);
- pairs: every judged pair in the batch, a logistic loss on its scaled cosine against a learned
  threshold (so "same / not same" can be read from the cosine).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import torch
from torch import nn
from torch.nn import functional as nnf

from spineconsult.library.adapter import LINEAR_NAMES, Adapter
from spineconsult.library.embeddings import HEADS, LAYER_NORM_EPS, LAYERS, MAX_TOKENS

Tensor = torch.Tensor


@dataclass(frozen=True)
class TrainingSettings:
    layers: int = 2  # adapted layers, counted from the top
    rank: int = 16
    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 5e-4
    scale: float = 20.0  # cosine -> logit in the ranking loss
    pair_weight: float = 1.0
    implied: bool = True  # use implied judgments too (see examples_from_pairs)
    hard_batches: bool = True  # batches of neighbouring anchors (see _batches)
    seed: int = 0


@dataclass(frozen=True)
class Example:
    """An anchor text with the texts judged the same (positives) and different (negatives)."""

    anchor: str
    positives: tuple[str, ...]
    negatives: tuple[str, ...]


class LoRALinear(nn.Module):
    def __init__(self, weight: Tensor, bias: Tensor, rank: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(weight, requires_grad=False)
        self.bias = nn.Parameter(bias, requires_grad=False)
        self.rank = rank
        if rank:
            self.lora_a = nn.Parameter(torch.randn(rank, weight.shape[1]) / math.sqrt(weight.shape[1]))
            self.lora_b = nn.Parameter(torch.zeros(weight.shape[0], rank))

    def forward(self, x: Tensor) -> Tensor:
        out = nnf.linear(x, self.weight, self.bias)
        if self.rank:
            out = out + (x @ self.lora_a.T) @ self.lora_b.T
        return out

    def delta(self) -> tuple[np.ndarray, np.ndarray] | None:
        if not self.rank:
            return None
        return self.lora_a.detach().numpy().copy(), self.lora_b.detach().numpy().copy()


class Layer(nn.Module):
    def __init__(self, w: dict[str, Tensor], index: int, rank: int) -> None:
        super().__init__()
        p = f"encoder.layer.{index}."
        self.prefix = p
        self.linears = nn.ModuleDict(
            {
                name.replace(".", "_"): LoRALinear(w[p + name + ".weight"], w[p + name + ".bias"], rank)
                for name in LINEAR_NAMES
            }
        )
        self.ln1 = (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        self.ln2 = (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])

    def linear(self, name: str) -> LoRALinear:
        return cast(LoRALinear, self.linears[name.replace(".", "_")])

    def lin(self, name: str, x: Tensor) -> Tensor:
        out: Tensor = self.linear(name)(x)
        return out

    def forward(self, x: Tensor, bias: Tensor) -> Tensor:
        b, n, d = x.shape
        head = d // HEADS

        def split(t: Tensor) -> Tensor:
            return t.reshape(b, n, HEADS, head).transpose(1, 2)

        q = split(self.lin("attention.self.query", x))
        k = split(self.lin("attention.self.key", x))
        v = split(self.lin("attention.self.value", x))
        scores = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(head) + bias, dim=-1)
        context = (scores @ v).transpose(1, 2).reshape(b, n, d)
        x = nnf.layer_norm(x + self.lin("attention.output.dense", context), (d,), *self.ln1, LAYER_NORM_EPS)
        inner = nnf.gelu(self.lin("intermediate.dense", x))
        return nnf.layer_norm(x + self.lin("output.dense", inner), (d,), *self.ln2, LAYER_NORM_EPS)


class AdaptedEncoder(nn.Module):
    """The encoder with adapters on its top layers; texts -> unit vectors."""

    def __init__(
        self, directory: Path, layers: int, rank: int, cache: dict[str, Tensor] | None = None
    ) -> None:
        super().__init__()
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        w = {
            k: torch.from_numpy(v.astype(np.float32))
            for k, v in load_file(str(directory / "model.safetensors")).items()
        }
        self.first = LAYERS - layers
        self.layers = nn.ModuleList([Layer(w, i, rank if i >= self.first else 0) for i in range(LAYERS)])
        self.embeddings = (
            w["embeddings.word_embeddings.weight"],
            w["embeddings.position_embeddings.weight"],
            w["embeddings.token_type_embeddings.weight"][0],
            w["embeddings.LayerNorm.weight"],
            w["embeddings.LayerNorm.bias"],
        )
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        # text -> states entering the first adapted layer; may be shared by models with the same `layers`
        self._cache: dict[str, Tensor] = {} if cache is None else cache

    def trainable(self) -> list[nn.Parameter]:
        return [p for p in self.parameters() if p.requires_grad]

    def _frozen_states(self, texts: Sequence[str]) -> list[Tensor]:
        """Hidden states entering the first adapted layer, one (tokens, 384) tensor per text."""
        missing = sorted({t for t in texts if t not in self._cache}, key=len)
        for start in range(0, len(missing), 64):
            chunk = missing[start : start + 64]
            ids = [e.ids for e in self.tokenizer.encode_batch([t or " " for t in chunk])]
            x, mask = self._embed_ids(ids)
            with torch.no_grad():
                bias = _attention_bias(mask)
                for layer in self.layers[: self.first]:
                    x = layer(x, bias)
            for row, (text, seq) in enumerate(zip(chunk, ids, strict=True)):
                self._cache[text] = x[row, : len(seq)].clone()
        return [self._cache[t] for t in texts]

    def _embed_ids(self, batch: list[list[int]]) -> tuple[Tensor, Tensor]:
        word, position, token_type, ln_w, ln_b = self.embeddings
        length = max(len(ids) for ids in batch)
        ids = torch.zeros((len(batch), length), dtype=torch.long)
        mask = torch.zeros((len(batch), length))
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1.0
        x = word[ids] + position[:length] + token_type
        return nnf.layer_norm(x, (x.shape[-1],), ln_w, ln_b, LAYER_NORM_EPS), mask

    def forward(self, texts: Sequence[str]) -> Tensor:
        states = self._frozen_states(texts)
        length = max(s.shape[0] for s in states)
        x = torch.zeros((len(states), length, states[0].shape[1]))
        mask = torch.zeros((len(states), length))
        for row, s in enumerate(states):
            x[row, : s.shape[0]] = s
            mask[row, : s.shape[0]] = 1.0
        bias = _attention_bias(mask)
        for layer in self.layers[self.first :]:
            x = layer(x, bias)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True).clamp(min=1e-9)
        return nnf.normalize(pooled, dim=-1)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors for texts (no gradients), in the order given."""
        out = np.zeros((len(texts), self.embeddings[0].shape[1]), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.no_grad():
            for start in range(0, len(order), batch_size):
                chunk = order[start : start + batch_size]
                out[chunk] = self([texts[i] for i in chunk]).numpy()
        return out

    def adapted(self) -> list[Layer]:
        return [cast(Layer, layer) for layer in self.layers[self.first :]]

    def use(self, adapter: Adapter) -> None:
        """Set the low-rank factors to those of a saved adapter (float16 values, as the library merges)."""
        for layer in self.adapted():
            for name in LINEAR_NAMES:
                factors = adapter.factors.get(layer.prefix + name + ".weight")
                module = layer.linear(name)
                if factors is not None and module.rank:
                    with torch.no_grad():
                        module.lora_a.copy_(torch.from_numpy(factors[0].astype(np.float32)))
                        module.lora_b.copy_(torch.from_numpy(factors[1].astype(np.float32)))

    def adapter(self, threshold: float | None, meta: dict[str, str]) -> Adapter:
        factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for layer in self.adapted():
            for name in LINEAR_NAMES:
                delta = layer.linear(name).delta()
                if delta is not None:
                    factors[layer.prefix + name + ".weight"] = delta
        return Adapter.from_factors(factors, threshold=threshold, meta=meta)


def _attention_bias(mask: Tensor) -> Tensor:
    return ((1.0 - mask) * -1e9)[:, None, None, :]


def _batches(
    examples: list[Example], size: int, rng: random.Random, vectors: np.ndarray | None
) -> list[list[Example]]:
    """Batches in random order; with `vectors` (the anchors' current embeddings), each batch gathers
    neighbours (a random anchor and its nearest unplaced anchors), so the other positives in a batch
    are hard negatives rather than questions about something else entirely."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    if vectors is None:
        return [[examples[i] for i in order[s : s + size]] for s in range(0, len(order), size)]
    free = np.ones(len(examples), dtype=bool)
    batches = []
    for seed in order:
        if not free[seed]:
            continue
        scores = np.where(free, vectors @ vectors[seed], -np.inf)
        chosen = np.argsort(-scores)[: min(size, int(free.sum()))]
        free[chosen] = False
        batches.append([examples[i] for i in chosen])
    rng.shuffle(batches)
    return batches


def train(model: AdaptedEncoder, examples: list[Example], settings: TrainingSettings) -> float:
    """Fit the adapters; returns the learned cosine threshold of the pair loss."""
    rng = random.Random(settings.seed)
    torch.manual_seed(settings.seed)
    threshold = nn.Parameter(torch.tensor(0.6))
    optimiser = torch.optim.AdamW([*model.trainable(), threshold], lr=settings.learning_rate)
    usable = [e for e in examples if e.positives or e.negatives]
    steps = settings.epochs * math.ceil(len(usable) / settings.batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps + 1)) * max(0.0, 1 - s / steps)
    )
    model.train()
    for _ in range(settings.epochs):
        vectors = model.encode([e.anchor for e in usable]) if settings.hard_batches else None
        for batch in _batches(usable, settings.batch_size, rng, vectors):
            loss = _loss(model, batch, threshold, settings, rng)
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            schedule.step()
    model.eval()
    return float(threshold.detach())


def _loss(
    model: AdaptedEncoder,
    batch: list[Example],
    threshold: Tensor,
    settings: TrainingSettings,
    rng: random.Random,
) -> Tensor:
    texts: list[str] = []
    slot: dict[str, int] = {}

    def at(text: str) -> int:
        if text not in slot:
            slot[text] = len(texts)
            texts.append(text)
        return slot[text]

    anchors = [at(e.anchor) for e in batch]
    positive = [at(rng.choice(e.positives)) if e.positives else -1 for e in batch]
    pairs = [(at(e.anchor), at(t), 1.0) for e in batch for t in e.positives]
    pairs += [(at(e.anchor), at(t), 0.0) for e in batch for t in e.negatives]
    vectors = model(texts)
    total = torch.zeros(())
    ranked = [i for i, p in enumerate(positive) if p >= 0]
    if ranked:
        candidates = sorted({p for p in positive if p >= 0} | {j for a, j, y in pairs if y == 0.0})
        column = {c: n for n, c in enumerate(candidates)}
        logits = settings.scale * vectors[[anchors[i] for i in ranked]] @ vectors[candidates].T
        target = torch.tensor([column[positive[i]] for i in ranked])
        total = total + nnf.cross_entropy(logits, target)
    if pairs and settings.pair_weight:
        a = vectors[[p[0] for p in pairs]]
        b = vectors[[p[1] for p in pairs]]
        cos = (a * b).sum(-1)
        labels = torch.tensor([p[2] for p in pairs])
        total = total + settings.pair_weight * nnf.binary_cross_entropy_with_logits(
            settings.scale * (cos - threshold), labels
        )
    return total


def examples_from_pairs(pairs: Sequence[tuple[str, str, int]], *, implied: bool = True) -> list[Example]:
    """Group judged pairs by anchor text.

    With `implied`, judgments work both ways, and a text judged the same as X is different from every
    text judged different from X (a paraphrase and a look-alike of one question are a hard pair too).
    """
    same: dict[str, set[str]] = {}
    different: dict[str, set[str]] = {}
    for a, b, label in pairs:
        if a == b:
            continue
        (same if label else different).setdefault(a, set()).add(b)
        if implied:
            (same if label else different).setdefault(b, set()).add(a)
    if implied:
        for x, alike in list(same.items()):
            for y in alike:
                for z in different.get(x, set()) - {y}:
                    different.setdefault(y, set()).add(z)
                    different.setdefault(z, set()).add(y)
    anchors = sorted(same) if implied else sorted(set(same) | set(different))
    return [Example(a, tuple(sorted(same.get(a, ()))), tuple(sorted(different.get(a, ())))) for a in anchors]


def fit(
    directory: Path,
    pairs: Sequence[tuple[str, str, int]],
    settings: TrainingSettings,
    cache: dict[str, Tensor] | None = None,
) -> tuple[AdaptedEncoder, float]:
    model = AdaptedEncoder(directory, settings.layers, settings.rank, cache)
    threshold = train(model, examples_from_pairs(pairs, implied=settings.implied), settings)
    return model, threshold
