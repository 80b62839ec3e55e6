"""A running app switches to a newly published index version, one version per request."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
from conftest import FakeEmbedder
from fastapi.testclient import TestClient

from index import store
from index.build import build_index
from index.types import Passage
from web.live_index import LiveIndex, rows_by_text
from web.templating import text_fingerprint

NEW_DOCUMENT = """\
---
title: "Kamerbrief over de subsidie voor zonnepanelen op winkelpanden"
date: 2021-03-01
kind: kamerbrief
---

# Subsidie voor zonnepanelen op winkelpanden

## De regeling

Winkeliers met een eigen winkelpand kunnen vanaf 1 april 2021 een subsidie van 2.500 euro
aanvragen voor zonnepanelen op het dak van hun winkelpand. De subsidie zonnepanelen
winkelpanden wordt uitgevoerd door RVO.
"""
NEW_QUESTION = "Hoeveel subsidie krijgen winkeliers voor zonnepanelen op hun winkelpand?"
NEW_DOC_ID = "subsidie-zonnepanelen-2021.md"


def _publish_new_version(documents: Path, index_dir: Path) -> str:
    (documents / NEW_DOC_ID).write_text(NEW_DOCUMENT, encoding="utf-8")
    report = build_index(documents, index_dir, FakeEmbedder(), progress=False)
    assert report.published
    return report.version


def _served_version(client: TestClient) -> str:
    version: str = client.get("/healthz").json()["index_version"]
    return version


def _wait_for_version(client: TestClient, version: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while _served_version(client) != version:
        assert time.monotonic() < deadline, f"version {version} not served after {timeout} s"
        time.sleep(0.05)


def test_new_version_is_served_without_restart(
    client: TestClient, documents: Path, index_dir: Path
) -> None:
    old = _served_version(client)
    before = client.post("/api/ask", json={"question": NEW_QUESTION}).json()
    assert NEW_DOC_ID not in {c["document"] for c in before["citations"]}

    new = _publish_new_version(documents, index_dir)
    assert new != old
    _wait_for_version(client, new)

    after = client.post("/api/ask", json={"question": NEW_QUESTION}).json()
    assert after["index_version"] == new
    assert after["citations"][0]["document"] == NEW_DOC_ID
    assert "2.500 euro" in after["answer"]
    assert "Kamerbrief over de subsidie voor zonnepanelen" in client.get("/documenten").text
    assert client.get(after["citations"][0]["url"]).status_code == 200


def test_requests_during_a_swap_all_succeed_and_never_go_back(
    client: TestClient, documents: Path, index_dir: Path
) -> None:
    old = _served_version(client)
    seen: list[tuple[int, str]] = []
    stop = threading.Event()

    def ask_repeatedly() -> None:
        deadline = time.monotonic() + 30.0
        while not stop.is_set() and time.monotonic() < deadline:
            response = client.post("/api/ask", json={"question": NEW_QUESTION})
            seen.append((response.status_code, response.json().get("index_version", "")))

    worker = threading.Thread(target=ask_repeatedly)
    worker.start()
    try:
        new = _publish_new_version(documents, index_dir)
        _wait_for_version(client, new)
        count = len(seen)
        while len(seen) < count + 5 and worker.is_alive():
            time.sleep(0.02)
    finally:
        stop.set()
        worker.join()
    assert {status for status, _ in seen} == {200}
    versions = [version for _, version in seen]
    assert set(versions) <= {old, new}
    assert versions[-1] == new
    # once the new version answered, the old one never answers again
    assert old not in versions[versions.index(new) :]


def test_failed_load_keeps_serving_the_old_version(
    client: TestClient, documents: Path, index_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = _served_version(client)
    (documents / NEW_DOC_ID).write_text(NEW_DOCUMENT, encoding="utf-8")
    # Built with another model: the app cannot use it and must keep the version it has.
    other = build_index(documents, index_dir, FakeEmbedder(dim=64, name="ander"), progress=False)
    assert store.current_version(index_dir) == other.version
    with caplog.at_level(logging.ERROR, logger="web.live_index"):
        assert _served_version(client) == old  # this request starts the background load
        client.app.state.live.wait()  # type: ignore[attr-defined]
    assert f"loading index version {other.version} failed" in caplog.text
    response = client.post("/api/ask", json={"question": NEW_QUESTION})
    assert response.status_code == 200
    assert response.json()["index_version"] == old


def test_damaged_version_is_not_loaded(
    client: TestClient, documents: Path, index_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = _served_version(client)
    client.app.state.live._check_interval = 3600.0  # type: ignore[attr-defined]
    new = _publish_new_version(documents, index_dir)
    (store.versions_dir(index_dir) / new / store.FAISS_FILE).unlink()
    client.app.state.live._check_interval = 0.0  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="web.live_index"):
        _served_version(client)
        client.app.state.live.wait()  # type: ignore[attr-defined]
    assert "failed" in caplog.text
    assert _served_version(client) == old


def test_version_is_looked_up_at_most_once_per_interval(documents: Path, index_dir: Path) -> None:
    live = LiveIndex(index_dir, FakeEmbedder(), check_interval=3600.0)
    old = live.current().version
    _publish_new_version(documents, index_dir)
    assert live.current().version == old  # not looked at yet: the interval has not passed


def test_a_snapshot_stays_whole_after_a_swap(documents: Path, index_dir: Path) -> None:
    live = LiveIndex(index_dir, FakeEmbedder(), check_interval=0.0)
    held = live.current()
    new = _publish_new_version(documents, index_dir)
    live.current()
    live.wait()
    assert live.current().version == new
    # a request that took the old snapshot finishes on the old version, consistently
    assert held.assistant.index_version == held.version != new
    assert held.assistant.ask(NEW_QUESTION).index_version == held.version


def _passage(doc_id: str, n: int, text: str) -> Passage:
    return Passage(f"{doc_id}/p{n}", doc_id, text, 0, len(text), 1, 1)


def test_a_text_is_found_in_its_own_document_and_the_first_passage_with_it_wins() -> None:
    passages = [
        _passage("a.md", 1, "Herhaald."),
        _passage("a.md", 2, "Eenmalig."),
        _passage("a.md", 3, "Herhaald."),
        _passage("b.md", 1, "Herhaald."),
    ]
    rows = rows_by_text(passages)
    assert rows[("a.md", text_fingerprint("Herhaald."))] == 0
    assert rows[("a.md", text_fingerprint("Eenmalig."))] == 1
    assert rows[("b.md", text_fingerprint("Herhaald."))] == 3
    assert ("b.md", text_fingerprint("Eenmalig.")) not in rows
