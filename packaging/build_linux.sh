#!/usr/bin/env bash
# Build the frozen one-folder bundle (PyInstaller) on Linux and smoke-test it for real.
#
#   packaging/build_linux.sh               build + check + smoke test
#   packaging/build_linux.sh --no-build    check + smoke-test an existing dist/CamauDesk
#
# Why a Linux build at all when clerks run Windows: the same spec, the same entry
# script and the same frozen-app fixes (camau_desk/frozen.py) are exercised on every
# change here, with a real Secret Service and a real X server; the Windows job
# (.github/workflows/windows.yml) repeats the parts Windows can do.
#
# Needs: Python 3.11 with the project installed (.venv, or a build venv made here),
# xvfb-run + ImageMagick `import` (screenshot), dbus-run-session + gnome-keyring-daemon.
# Environment: PYTHON (interpreter to build with), DIST (default dist/), DEMO_SECONDS (default 12).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST="${DIST:-$ROOT/dist}"
WORK="$ROOT/build/pyinstaller"
APP_DIR="$DIST/CamauDesk"
APP="$APP_DIR/CamauDesk"
SMOKE="$DIST/smoke"
DEMO_SECONDS="${DEMO_SECONDS:-12}"
KEYRING_UNLOCK="$(head -c 18 /dev/urandom | base64)"  # a throwaway keyring made below; random each run
BUILD=1
[[ "${1:-}" == "--no-build" ]] && BUILD=0

say() { printf '\n[build_linux] %s\n' "$*"; }
fail() { printf '\n[build_linux] FAILED: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ interpreter
if [[ -n "${PYTHON:-}" ]]; then
    PY="$PYTHON"
elif [[ -x "$ROOT/.venv/bin/python" ]]; then
    PY="$ROOT/.venv/bin/python"
else
    say "no .venv: creating build/venv with the app"
    python3 -m venv "$ROOT/build/venv"
    PY="$ROOT/build/venv/bin/python"
    "$PY" -m pip install -q --upgrade pip
    "$PY" -m pip install -q "$ROOT"
fi
if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
    say "installing pyinstaller into $("$PY" -c 'import sys; print(sys.prefix)')"
    "$PY" -m pip install -q "pyinstaller>=6.10"
fi
VERSION="$("$PY" -c 'import camau_desk; print(camau_desk.__version__)')"

# ------------------------------------------------------------------ build
if [[ $BUILD == 1 ]]; then
    say "PyInstaller $("$PY" -m PyInstaller --version), Cà Mau Desk $VERSION"
    start=$(date +%s)
    "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$DIST" --workpath "$WORK" packaging/camau_desk.spec
    BUILD_SECONDS=$(( $(date +%s) - start ))
    say "build took ${BUILD_SECONDS} s ($(nproc) cores); bundle $(du -sh "$APP_DIR" | cut -f1)"
fi
[[ -x "$APP" ]] || fail "no executable at $APP"
rm -rf "$SMOKE"
mkdir -p "$SMOKE"

# ------------------------------------------------------------------ bundle contents
say "checking the bundle's files"
INTERNAL="$APP_DIR/_internal"
RES="$INTERNAL/resources"
need_count() {  # need_count GLOB_DIR PATTERN EXPECTED WHAT
    local n
    n=$(find "$1" -maxdepth 1 -name "$2" -type f 2>/dev/null | wc -l)
    [[ $n -ge $3 && $n -gt 0 ]] || fail "$4: $n files matching $1/$2 (expected $3)"
    echo "  ok  $4: $n"
}
need_file() { [[ -f "$1" ]] || fail "missing $1"; echo "  ok  ${1#"$APP_DIR"/}"; }
need_count "$RES/i18n" "*.qm" "$(find resources/i18n -name '*.qm' | wc -l)" "translations (.qm)"
need_count "$RES/demo" "*.eml" "$(find resources/demo -name '*.eml' | wc -l)" "demo mail (.eml)"
need_file "$RES/encodings/tcvn3.tsv"
need_file "$RES/encodings/vni.tsv"
need_count "$RES/fonts" "*.ttf" "$(find resources/fonts -name '*.ttf' | wc -l)" "fonts (.ttf)"
need_count "$RES/icons" "*.svg" "$(find resources/icons -name '*.svg' | wc -l)" "icons (.svg)"
PLUGINS="$INTERNAL/PySide6/Qt/plugins"
for plugin in platforms/libqxcb.so platforms/libqoffscreen.so platforms/libqwayland.so \
              imageformats/libqsvg.so imageformats/libqjpeg.so imageformats/libqico.so iconengines/libqsvgicon.so; do
    need_file "$PLUGINS/$plugin"
done
"$PY" -m PyInstaller.utils.cliutils.archive_viewer -r -b "$APP" >"$SMOKE/archive.txt" 2>/dev/null \
    || fail "cannot list the bundle's archive"
for module in camau_desk.frozen camau_desk.cli.accounts camau_desk.store.migrations.m0001_foundation \
              keyring.backends.SecretService keyring.backends.Windows keyring.backends.macOS \
              secretstorage jeepney ui.app ui.main_window; do
    grep -qx " *$module" "$SMOKE/archive.txt" || fail "module $module is not in the bundle"
    echo "  ok  module $module"
done

# ------------------------------------------------------------------ smoke: CLI, self-test, child processes
say "smoke: --version"
out="$("$APP" --version)"
[[ "$out" == *"$VERSION"* ]] || fail "--version printed '$out', expected $VERSION"
echo "  $out"

say "smoke: bundle self-test (imports every module, resources, keyring backend)"
CAMAU_DESK_FROZEN_SELFTEST=1 QT_QPA_PLATFORM=offscreen "$APP" >"$SMOKE/selftest.json" \
    || { cat "$SMOKE/selftest.json"; fail "self-test reported problems"; }
cat "$SMOKE/selftest.json"

say "smoke: import the demo mail and index it (attachment text in a spawned child process)"
DATA="$SMOKE/data"
"$APP" import --data-dir "$DATA" --json resources/demo >"$SMOKE/import.json"
"$APP" index --data-dir "$DATA" --json >"$SMOKE/index.json"
"$PY" - "$SMOKE" "$DATA" <<'EOF'
import json, sqlite3, sys
from pathlib import Path
smoke, data = Path(sys.argv[1]), Path(sys.argv[2])
imp = json.loads((smoke / "import.json").read_text())
idx = json.loads((smoke / "index.json").read_text())
db = sqlite3.connect(data / "camau_desk.sqlite3")
status = dict(db.execute("SELECT extract_status, count(*) FROM search_docs "
                         "WHERE extract_status IS NOT NULL GROUP BY 1").fetchall())
print(f"  imported {imp['new']} messages, indexed {idx['messages']}, attachments {status}")
assert imp["new"] >= 30 and not imp["errors"], imp
assert status.get("ok", 0) >= 10, f"attachment extraction failed in the frozen child: {status}"
assert not status.get("error") and not status.get("timeout"), status
EOF

# ------------------------------------------------------------------ smoke: the window on demo data under Xvfb
say "smoke: --demo under Xvfb for ${DEMO_SECONDS} s, screenshot"
command -v xvfb-run >/dev/null || fail "xvfb-run is missing (apt-get install xvfb xauth)"
command -v import >/dev/null || fail "ImageMagick 'import' is missing (apt-get install imagemagick)"
export APP SMOKE DEMO_SECONDS
xvfb-run -a -s "-screen 0 1366x768x24" bash -c '
    "$APP" --demo --data-dir "$SMOKE/demo" >"$SMOKE/demo.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 "$DEMO_SECONDS"); do
        sleep 1
        kill -0 "$pid" 2>/dev/null || { echo "the window exited early"; cat "$SMOKE/demo.log"; exit 1; }
    done
    xwininfo -root -tree >"$SMOKE/windows.txt" 2>/dev/null || true
    import -window root "$SMOKE/demo.png"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
' || fail "the window did not stay up on demo data (see $SMOKE/demo.log)"
"$PY" - "$SMOKE/demo.png" <<'EOF'
import sys
from PIL import Image
img = Image.open(sys.argv[1]).convert("RGB")
colours = img.getcolors(maxcolors=1 << 20)
n = len(colours) if colours else 1 << 20
print(f"  screenshot {img.size[0]}x{img.size[1]}, {n} colours")
assert n > 50, "the screenshot is (almost) blank: no window was drawn"
EOF
grep -q "Cà Mau Desk" "$SMOKE/windows.txt" && echo "  ok  a window titled 'Cà Mau Desk' was mapped" \
    || echo "  note: no window title containing 'Cà Mau Desk' in xwininfo (see $SMOKE/windows.txt)"

# ------------------------------------------------------------------ smoke: passwords in a real Secret Service
say "smoke: account add/list/remove against gnome-keyring (dbus-run-session)"
command -v dbus-run-session >/dev/null || fail "dbus-run-session is missing (apt-get install dbus)"
command -v gnome-keyring-daemon >/dev/null || fail "gnome-keyring-daemon is missing (apt-get install gnome-keyring)"
export PY KEYRING_UNLOCK
dbus-run-session -- bash -c '
    set -euo pipefail
    export HOME="$SMOKE/home" XDG_DATA_HOME="$SMOKE/home/.local/share"
    mkdir -p "$XDG_DATA_HOME/keyrings"
    eval "$(printf "%s\n" "$KEYRING_UNLOCK" | gnome-keyring-daemon --unlock --components=secrets | sed "s/^/export /")"
    data="$SMOKE/keyring-data"
    printf "%s\n" "mật-khẩu-thử" | "$APP" account add smoke --role agency --email vanthu@example.test \
        --imap 127.0.0.1:993 --smtp 127.0.0.1:465 --security ssl --password-stdin --data-dir "$data"
    "$APP" account list --json --data-dir "$data" | tee "$SMOKE/accounts.json"
    grep -q "vanthu@example.test" "$SMOKE/accounts.json"
    # read it back through keyring from outside the bundle: the frozen app wrote to the real store
    "$PY" -c "import keyring; assert keyring.get_password(\"camau-desk\", \"account:smoke\") == \"mật-khẩu-thử\"; print(\"  ok  password in the Secret Service\")"
    "$APP" account remove smoke --data-dir "$data"
    "$PY" -c "import keyring; assert keyring.get_password(\"camau-desk\", \"account:smoke\") is None; print(\"  ok  password removed\")"
' || fail "keyring smoke test"

say "all checks passed: $APP_DIR ($(du -sh "$APP_DIR" | cut -f1))${BUILD_SECONDS:+, build ${BUILD_SECONDS} s}"
