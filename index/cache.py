"""Embedding cache: passage vectors keyed by (model id, sha256 of the embedded text).

One `.npz` file per model under `index_dir/cache/<safe model id>/`, replaced atomically. The file
records its model id and dimension; a file for another model is never read into this cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from index.embed import Vectors
from index.store import WriteFailed, writing

logger = logging.getLogger(__name__)

CACHE_FILE = "embeddings.npz"


def text_key(text: str) -> str:
    """Return the cache key of one text: its sha256 in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def safe_model_dir(model_id: str) -> str:
    """Return a file-system-safe, collision-free folder name for `model_id`."""
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id).strip("._")[-60:]
    return f"{readable}-{text_key(model_id)[:12]}"


class EmbeddingCache:
    """Vectors of one model, looked up by text hash; `save` persists what is `keep`-ed."""

    def __init__(self, cache_root: Path, model_id: str, dim: int) -> None:
        self.model_id = model_id
        self.dim = dim
        self.path = cache_root / safe_model_dir(model_id) / CACHE_FILE
        self._vectors: dict[str, Vectors] = {}
        self._load()

    def __len__(self) -> int:
        return len(self._vectors)

    def __contains__(self, key: object) -> bool:
        return key in self._vectors

    def _load(self) -> None:
        if not self.path.is_file():
            return
        try:
            with np.load(self.path, allow_pickle=False) as data:
                model_id = str(data["model_id"])
                keys = [str(k) for k in data["keys"]]
                vectors = np.asarray(data["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("ignoring unreadable embedding cache %s: %s", self.path, exc)
            return
        if model_id != self.model_id or vectors.shape != (len(keys), self.dim):
            logger.warning("ignoring embedding cache %s: other model or shape", self.path)
            return
        self._vectors = dict(zip(keys, vectors, strict=True))

    def get(self, key: str) -> Vectors | None:
        """Return the cached vector for `key`, or None."""
        return self._vectors.get(key)

    def add(self, keys: Sequence[str], vectors: Vectors) -> None:
        """Remember `vectors[i]` under `keys[i]`."""
        if vectors.shape != (len(keys), self.dim):
            raise ValueError(f"expected {len(keys)} vectors of dimension {self.dim}")
        for key, vector in zip(keys, vectors, strict=True):
            self._vectors[key] = np.asarray(vector, dtype=np.float32)

    def save(self, keep: Iterable[str] | None = None) -> None:
        """Write the cache atomically, limited to the keys in `keep` when given.

        A failed write raises WriteFailed and leaves no temporary file behind.
        """
        wanted = set(self._vectors) if keep is None else set(keep) & set(self._vectors)
        keys = sorted(wanted)
        vectors = (
            np.stack([self._vectors[k] for k in keys])
            if keys
            else np.zeros((0, self.dim), dtype=np.float32)
        )
        tmp = self.path.with_name(f".{CACHE_FILE}.{secrets.token_hex(4)}.tmp")
        try:
            with writing(self.path):
                self._write(tmp, keys, vectors)
        except WriteFailed:
            tmp.unlink(missing_ok=True)
            raise
        for stale in self.path.parent.glob(f".{CACHE_FILE}.*.tmp"):  # left by a killed build
            stale.unlink(missing_ok=True)
        self._vectors = {k: self._vectors[k] for k in keys}
        logger.debug("saved %d cached embeddings to %s", len(keys), self.path)

    def _write(self, tmp: Path, keys: list[str], vectors: Vectors) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            np.savez(out, model_id=np.array(self.model_id), keys=np.array(keys), vectors=vectors)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)
