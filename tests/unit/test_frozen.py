"""Frozen-app runtime fixes and Windows workstation behaviour (issue 9).

The Windows checks run on Linux: platformdirs' Windows rules are driven by its
``WIN_PD_OVERRIDE_*`` variables and the long-path form is pure string work, so
the paths a clerk's PC will use are proven here without a Windows machine.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import sys
import types
import unicodedata
from pathlib import Path, PureWindowsPath

import keyring
import platformdirs
import platformdirs.windows
import pytest

from camau_desk import frozen, paths
from camau_desk.fsutil import _long_path_windows

pytestmark = pytest.mark.unit

LOCALAPPDATA = r"C:\Users\Nguyễn Thị Văn Thư\AppData\Local"
APPDATA = r"C:\Users\Nguyễn Thị Văn Thư\AppData\Roaming"
DOCUMENTS = r"C:\Users\Nguyễn Thị Văn Thư\Documents"
ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------- keyring choice when frozen


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record what configure_keyring hands to keyring, without changing the real backend."""
    seen: list[object] = []
    monkeypatch.setattr(keyring, "set_keyring", seen.append)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    return seen


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("win32", "keyring.backends.Windows.WinVaultKeyring"),
        ("linux", "keyring.backends.SecretService.Keyring"),
        ("darwin", "keyring.backends.macOS.Keyring"),
        ("freebsd14", None),
    ],
)
def test_R4_3_backend_name_per_platform(platform: str, expected: str | None) -> None:
    assert frozen.backend_name(platform) == expected


@pytest.mark.parametrize("platform", ["win32", "linux", "darwin"])
def test_R4_3_frozen_app_sets_the_os_credential_store(
    monkeypatch: pytest.MonkeyPatch, captured: list[object], platform: str
) -> None:
    """Frozen: no entry-point discovery, the platform's store is set explicitly."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", platform)
    chosen = frozen.configure_keyring()
    assert chosen == frozen.BACKENDS[platform]
    assert len(captured) == 1
    kind = type(captured[0])
    assert f"{kind.__module__}.{kind.__name__}" == chosen


def test_from_source_keyring_discovery_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, captured: list[object]
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert frozen.is_frozen() is False
    assert frozen.configure_keyring() is None
    assert captured == []


def test_user_override_with_PYTHON_KEYRING_BACKEND_wins(
    monkeypatch: pytest.MonkeyPatch, captured: list[object]
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    assert frozen.configure_keyring(frozen=True, platform="win32") is None
    assert captured == []


def test_missing_backend_module_does_not_stop_the_app(
    monkeypatch: pytest.MonkeyPatch, captured: list[object]
) -> None:
    """A bundle without the backend starts; secrets.py then explains in Vietnamese."""
    monkeypatch.setitem(frozen.BACKENDS, "win32", "keyring.backends.NoSuchModule.Keyring")
    assert frozen.configure_keyring(frozen=True, platform="win32") is None
    assert frozen.configure_keyring(frozen=True, platform="sunos5") is None
    assert captured == []


def test_prepare_is_a_no_op_from_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    calls: list[str] = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: calls.append("fs"))
    assert frozen.prepare() is None
    assert calls == []


def test_prepare_when_frozen_streams_freeze_support_keyring(
    monkeypatch: pytest.MonkeyPatch, captured: list[object]
) -> None:
    """Windowed exe: stdout/stderr None become devnull; spawn children handled once."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(frozen, "_prepared", False)
    monkeypatch.delenv(frozen.SELFTEST_ENV, raising=False)
    calls: list[str] = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: calls.append("fs"))
    assert frozen.prepare() == frozen.BACKENDS["win32"]
    assert frozen.prepare() == frozen.BACKENDS["win32"]  # idempotent: main.py may call it again
    out, err = sys.stdout, sys.stderr
    assert out is not None and err is not None
    print("argparse --version would write here")  # must not raise
    assert calls == ["fs"]
    assert len(captured) == 2
    out.close()
    err.close()


def test_self_test_reports_modules_resources_and_problems(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    buf = io.StringIO()
    assert frozen.self_test(buf, packages=("camau_desk",)) == 0, buf.getvalue()
    report = json.loads(buf.getvalue())
    assert report["modules_imported"] > 20
    assert report["resources"]["demo_eml"] >= 30
    assert report["resources"]["qm"] >= 1 and report["resources"]["encodings_tsv"] == 2
    # an empty resources folder is a loud failure, not a quiet one
    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    buf = io.StringIO()
    assert frozen.self_test(buf, packages=("camau_desk",)) == 1
    assert any("no demo_eml" in p for p in json.loads(buf.getvalue())["problems"])


# ----------------------------------------------------------------- Windows paths


@pytest.fixture
def windows_dirs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make camau_desk.paths see platformdirs' Windows rules with a Vietnamese user name."""
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", LOCALAPPDATA)
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", APPDATA)
    monkeypatch.setenv("WIN_PD_OVERRIDE_PERSONAL", DOCUMENTS)
    monkeypatch.delenv("CAMAU_DESK_DATA_DIR", raising=False)
    win = types.SimpleNamespace(
        user_data_dir=lambda *a, **kw: platformdirs.windows.Windows(*a, **kw).user_data_dir,
        user_documents_dir=lambda: platformdirs.windows.Windows().user_documents_dir,
    )
    monkeypatch.setattr(paths, "platformdirs", win)


def test_windows_data_dir_is_localappdata_camau_desk(windows_dirs: None) -> None:
    """Not roaming (the database must not travel with a roaming profile), no author folder."""
    got = PureWindowsPath(str(paths.default_data_dir()))
    assert got == PureWindowsPath(LOCALAPPDATA) / "camau-desk"
    profile = paths.Profile.at()
    assert PureWindowsPath(str(profile.db_path)) == PureWindowsPath(LOCALAPPDATA, "camau-desk", "camau_desk.sqlite3")


def test_windows_mirror_is_documents_ca_mau_desk_in_nfc(windows_dirs: None) -> None:
    """NTFS does not normalise: an NFD name would make a second, look-alike folder."""
    got = PureWindowsPath(str(paths.default_mirror_dir()))
    assert got == PureWindowsPath(DOCUMENTS) / "Cà Mau Desk"
    assert got.name == unicodedata.normalize("NFC", got.name)
    assert PureWindowsPath(str(paths.Profile.at().default_mirror_dir)) == got


def test_explicit_data_dir_keeps_the_mirror_inside(windows_dirs: None, tmp_path: Path) -> None:
    profile = paths.Profile.at(tmp_path / "p")
    assert profile.default_mirror_dir == tmp_path / "p" / "mirror"


def test_data_dir_env_override_beats_platform(windows_dirs: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMAU_DESK_DATA_DIR", r"D:\VanThu\camau-desk")
    assert str(paths.default_data_dir()) == r"D:\VanThu\camau-desk"


def test_R6_2_long_mirror_path_gets_the_windows_long_prefix() -> None:
    """A deep mirror path with a long Vietnamese subject passes 260 characters."""
    deep = PureWindowsPath(DOCUMENTS, "Cà Mau Desk", "Hộp thư cơ quan", "2026", "11 - Tháng 11")
    name = "Công văn số 4295-UBND-TH về việc triển khai đề án chuyển đổi số " * 3 + ".pdf"
    full = str(deep / name)
    assert len(full) > 260
    got = _long_path_windows(full)
    assert got == "\\\\?\\" + full
    share = r"\\fileserver\VanThu\Cà Mau Desk" + "\\" + name
    assert _long_path_windows(share) == "\\\\?\\UNC\\fileserver\\VanThu\\Cà Mau Desk\\" + name


def test_resources_dir_follows_meipass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Frozen: resources come from the bundle, never from the source tree."""
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"
    from camau_desk.vn import legacy

    assert legacy.resources_dir() == tmp_path / "resources"


# ----------------------------------------------------------------- packaging files agree with the code


def test_spec_and_installer_carry_the_app_identity() -> None:
    """The installer keeps %LOCALAPPDATA%\\camau-desk and Documents\\Cà Mau Desk unless asked."""
    from camau_desk import APP_ID, APP_NAME, __version__

    spec = (ROOT / "packaging" / "camau_desk.spec").read_text(encoding="utf-8")
    iss = (ROOT / "packaging" / "installer.iss").read_text(encoding="utf-8-sig")
    entry = (ROOT / "packaging" / "camau_desk_entry.py").read_text(encoding="utf-8")
    assert entry.index("prepare()") < entry.index("from main import main")  # freeze_support before anything
    assert "camau_desk_entry.py" in spec
    for backend in frozen.BACKENDS.values():
        assert backend.rpartition(".")[0] in spec
    assert APP_NAME in iss and APP_ID in iss and "PrivilegesRequired=lowest" in iss
    assert "Vietnamese.isl" in iss
    version_info = (ROOT / "packaging" / "version_info.txt").read_text(encoding="utf-8")
    assert __version__ in version_info and "CamauDesk.exe" in version_info


def test_version_info_follows_camau_desk_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The .exe's Details tab shows camau_desk.__version__; PyInstaller can parse the file."""
    from camau_desk import __version__

    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import make_version_info
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert make_version_info.current_version() == __version__
    assert make_version_info.version_tuple("0.2.0rc1") == (0, 2, 0, 0)
    assert make_version_info.version_tuple("1.4") == (1, 4, 0, 0)
    path = make_version_info.write(tmp_path / "version_info.txt")
    assert path.read_text(encoding="utf-8") == (ROOT / "packaging" / "version_info.txt").read_text(encoding="utf-8")
    pytest.importorskip("PyInstaller")
    # the Windows-only parser imports pefile and win32api at module level; neither is used for parsing
    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    import PyInstaller.compat

    monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    from PyInstaller.utils.win32.versioninfo import load_version_info_from_text_file

    info = load_version_info_from_text_file(str(path))
    assert info.ffi.fileVersionMS >> 16 == int(__version__.split(".")[0])
    assert len(info.toRaw()) > 200
