#!/usr/bin/env bash
# 一条命令：在全新机器上准备环境，并把演示内容 content/ 生成到 output/。
# 额外参数原样传给 site-builder build，例如 scripts/demo.sh --content examples/jiaozuo-2024/content
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last install.
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  # -qq: setuptools warns on every editable install of a flat layout; errors still show
  .venv/bin/python -m pip install -qq -e .
  touch .venv/.installed
fi
exec .venv/bin/site-builder build "$@"
