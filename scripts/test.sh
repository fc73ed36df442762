#!/usr/bin/env bash
# 一条命令：在全新机器上安装测试所需的一切，然后运行全部测试（包括真实浏览器测试）。
#  - Python 依赖：.venv 里 pip install -e '.[test]'
#  - Debian 软件包（缺少时安装，需要 root 或 sudo）：chromium、fonts-noto-cjk、nginx-light、npm、
#    openssh-server（发布测试的 SFTP 服务器；测试自己在 127.0.0.1 上启动它，不作为系统服务运行）、
#    libreoffice-writer-nogui（把公示 Word 版排成 PDF，检查页数、每行字数和页码）
#  - npm 包：tests/browser 下的 axe-core（按 package-lock.json 安装）
# 额外参数原样传给 pytest，例如 scripts/test.sh -k notice
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
{ command -v fc-list >/dev/null && fc-list | grep -qi "Noto Sans CJK"; } || need+=(fonts-noto-cjk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v npm >/dev/null || need+=(npm)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null; then
    SUDO=(sudo)
  else
    echo "测试需要 Debian 软件包：${need[*]}。请用 root 运行本脚本，或先执行 apt-get install ${need[*]}。" >&2
    exit 1
  fi
  echo "安装 Debian 软件包：${need[*]}" >&2
  "${SUDO[@]}" apt-get update -qq
  # Install only: no package may start a system service here (openssh-server would start an
  # sshd on every interface; the tests start their own on 127.0.0.1).
  policy=/usr/sbin/policy-rc.d
  added_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"
    added_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ -n "$added_policy" ]; then "${SUDO[@]}" rm -f "$policy"; fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ ! -f .venv/.installed-test ] || [ pyproject.toml -nt .venv/.installed-test ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install -qq -e '.[test]'  # -qq: see demo.sh
  touch .venv/.installed-test .venv/.installed
fi
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ] \
  || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
exec .venv/bin/python -m pytest "$@"
