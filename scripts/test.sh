#!/usr/bin/env bash
# 一条命令：在全新机器上安装测试所需的一切（Python 依赖、Debian 的 Chromium 与 nginx），然后运行全部测试。
# 额外参数原样传给 pytest，例如 scripts/test.sh -k notice
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ ! -f .venv/.installed-test ] || [ pyproject.toml -nt .venv/.installed-test ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  touch .venv/.installed-test .venv/.installed
fi
exec .venv/bin/python -m pytest "$@"
