#!/usr/bin/env bash
# Runs the irctest conformance suite against chatd.
#   conformance/run-irctest.sh IRCTEST_CHECKOUT [pytest arguments…]
# IRCTEST_CHECKOUT is a clone of https://github.com/progval/irctest (not
# fetched here: this script runs offline); it needs pytest, pytest-timeout,
# psutil and websockets (pip). chatd is built (release) and used from .build/release.
# Bounded: each test has 30 s, the whole run 20 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: conformance/run-irctest.sh IRCTEST_CHECKOUT [pytest args]" >&2; exit 64; }
IRCTEST=$(cd "$1" && pwd); shift
swift build -c release --product chatd
export CHATD_BIN="$PWD/.build/release/chatd"
cp conformance/irctest_chatd.py "$IRCTEST/irctest/controllers/chatd.py"
cd "$IRCTEST"
exec timeout 1200 python3 -m pytest --controller irctest.controllers.chatd \
  -p no:cacheprovider --timeout 30 -m "not Ergo and not deprecated" -rfEs -q \
  irctest/server_tests "$@"
