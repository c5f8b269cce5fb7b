"""Operating-system failures and signals: every OSError (read-only file system, full disk, too
long a name, permission) is one message naming the path with exit status 2; SIGTERM and SIGHUP
stop a run like Ctrl-C (temporary files removed, earlier outputs kept); a closed pipe ends the
run quietly. Failures are simulated in-process where the system cannot be made to fail (the
tests run as root, who ignores permissions); signals and pipes need a real process."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from klems import cli
from klems.outputs import files as outfiles

QUICK = ["estimate", "--years", "2020-2021", "--format", "csv", "--quiet"]


def _one_error(err: str, command: str = "estimate") -> str:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"klems {command}: error: "), err
    assert "Traceback" not in err
    return lines[0]


def _no_temporary(folder: Path) -> None:
    assert not [p for p in folder.rglob("*") if p.name.endswith(".part")]


@pytest.mark.parametrize("case, code, reason", [
    ("os-disk-full", errno.ENOSPC, "No space left on device (the disk is full)"),
    ("os-read-only", errno.EROFS, "Read-only file system (the file system is read-only)"),
    ("os-permission", errno.EACCES, "Permission denied"),
    ("os-quota", errno.EDQUOT, "Disk quota exceeded (the disk quota is exceeded)"),
])
def test_writer_fails(case, code, reason, tmp_path, monkeypatch, capsys):
    """A writer that fails midway: one message naming the file, earlier outputs kept."""
    import klems.cli.estimate as est

    out = tmp_path / "out"
    out.mkdir()
    (out / "guangxi_estimate_summary.csv").write_text("earlier")
    real = est.report.penetration_frame

    def failing(result):
        frame, cols = real(result)

        def to_csv(path, **kw):
            raise OSError(code, os.strerror(code), str(path))
        frame.to_csv = to_csv
        return frame, cols
    monkeypatch.setattr(est.report, "penetration_frame", failing)
    assert cli.main([*QUICK, "--out", str(out)]) == 2
    line = _one_error(capsys.readouterr().err)
    assert f"cannot write the output file: {reason} [file {out / 'guangxi_estimate_penetration.csv'}]" in line
    assert sorted(p.name for p in out.iterdir()) == ["guangxi_estimate_summary.csv"]
    assert (out / "guangxi_estimate_summary.csv").read_text() == "earlier"


@pytest.mark.parametrize("case, failing, code, message", [
    ("os-temporary-file-read-only", "mkstemp", errno.EROFS,
     "cannot write the output file: Read-only file system"),
    ("os-rename-permission", "replace", errno.EPERM,
     "cannot write the output file: Operation not permitted"),
    ("os-folder-permission", "mkdir", errno.EACCES,
     "cannot create the output folder: Permission denied"),
])
def test_system_call_fails(case, failing, code, message, tmp_path, monkeypatch, capsys):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    target = {"mkstemp": (outfiles.tempfile, "mkstemp"), "replace": (outfiles.os, "replace"),
              "mkdir": (Path, "mkdir")}[failing]
    monkeypatch.setattr(*target, fail)
    out = tmp_path / ("new" if failing == "mkdir" else "")
    assert cli.main([*QUICK, "--out", str(out)]) == 2
    assert message in _one_error(capsys.readouterr().err)
    monkeypatch.undo()
    _no_temporary(tmp_path)
    assert not list(tmp_path.glob("*.csv"))


def test_name_too_long(tmp_path, capsys):
    """A real ENAMETOOLONG: a sweep file name beyond the file system's limit."""
    name = "s" * 300 + ".nc"
    assert cli.main(["sweep", "--param", "hardware.beta=0.5:0.8", "--draws", "6", "--quiet",
                     "--out", str(tmp_path / name)]) == 2
    line = _one_error(capsys.readouterr().err, "sweep")
    assert "the file name is too long" in line and name in line
    assert list(tmp_path.iterdir()) == []


def test_folder_name_too_long(tmp_path, capsys):
    out = tmp_path / ("d" * 300)
    assert cli.main([*QUICK, "--out", str(out)]) == 2
    line = _one_error(capsys.readouterr().err)
    assert "File name too long (the file name is too long)" in line and str(out) in line


def test_input_unreadable(user_input, monkeypatch, capsys):
    real = Path.read_bytes

    def denied(self):
        if self.name == "value_added.csv":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", denied)
    assert cli.main(["validate", str(user_input[0])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("klems validate: error: 1 problem(s) in the input data"), err
    assert "sheet value_added.csv: cannot read the file (Permission denied)" in err
    assert "Traceback" not in err


def test_real_full_and_read_only_file_systems(tmp_path, capsys):
    """When this machine lets root mount a small tmpfs: a full disk and a read-only one."""
    full, ro = tmp_path / "full", tmp_path / "ro"
    full.mkdir()
    ro.mkdir()
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(full)],
                        capture_output=True).returncode == 0
    if not ok:
        pytest.skip("cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)")
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k,ro", "tmpfs", str(ro)],
                       check=True, capture_output=True)
        try:
            assert cli.main(["estimate", "--years", "2020-2021", "--format", "nc", "--quiet",
                             "--out", str(full / "o")]) == 2
            line = _one_error(capsys.readouterr().err)
            assert "cannot write the output file" in line and "the disk is full" in line
            assert list((full / "o").iterdir()) == []
            assert cli.main([*QUICK, "--out", str(ro / "o")]) == 2
            line = _one_error(capsys.readouterr().err)
            assert "Read-only file system" in line and str(ro / "o") in line
        finally:
            subprocess.run(["umount", "-l", str(ro)], capture_output=True)
    finally:
        subprocess.run(["umount", "-l", str(full)], capture_output=True)


# ---- signals and pipes: a real process --------------------------------------------------------

@pytest.mark.parametrize("case, signum", [("signal-sigterm", signal.SIGTERM),
                                          ("signal-sighup", signal.SIGHUP),
                                          ("signal-sigint", signal.SIGINT)])
def test_signal_while_streaming(case, signum, klems_command, tmp_path):
    """A signal while the sweep streams into its reserved temporary file: the file is removed,
    the earlier output kept, exit status 128 + the signal."""
    out = tmp_path / "sweep.nc"
    out.write_bytes(b"earlier")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.Popen([*klems_command, "sweep", "--param", "hardware.beta=0.5:0.9",
                             "--param", "software.mean_life=3:7", "--draws", "400000",
                             "--chunk-size", "500", "--quiet", "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".sweep.nc.*.part")) and time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    assert list(tmp_path.glob(".sweep.nc.*.part")), proc.communicate()
    time.sleep(0.5)                         # inside the streaming
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    err = err.decode()
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err
    assert "klems sweep: " in err and ("interrupted" in err or "stopped" in err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.nc"]
    assert out.read_bytes() == b"earlier"


def test_closed_pipe(klems_command, tmp_path):
    """``klems estimate --out DIR | head``: the files are written, no traceback."""
    proc = subprocess.Popen([*klems_command, "estimate", "--years", "2020-2021", "--format",
                             "csv", "--out", str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "MPLBACKEND": "Agg"})
    proc.stdout.close()                     # the reader is gone before the first line
    err = proc.stderr.read().decode()
    proc.wait(timeout=300)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode == 141
    assert len(list(tmp_path.glob("*.csv"))) == 4     # summary, by industry, penetration, long


def test_closed_pipe_head(klems_command):
    """``klems profiles | head -1`` in a shell."""
    with tempfile.TemporaryDirectory():
        proc = subprocess.run(f"'{klems_command[0]}' profiles | head -1", shell=True,
                              capture_output=True, text=True, timeout=300)
    assert proc.stdout.startswith("klems ") and "Traceback" not in proc.stderr, proc.stderr


def test_redirected_stderr_has_no_progress(klems_command, tmp_path):
    """A redirected stderr gets no progress bar ("ETA nan s" or carriage returns)."""
    log = tmp_path / "err.log"
    with open(log, "wb") as fh:
        subprocess.run([*klems_command, "sweep", "--param", "hardware.beta=0.5:0.8",
                        "--draws", "12"], stdout=subprocess.DEVNULL, stderr=fh, check=True,
                       env={**os.environ, "MPLBACKEND": "Agg"})
    text = log.read_text()
    assert "ETA" not in text and "\r" not in text and "draws/s" in text


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_output_modes_follow_umask(umask, mode, tmp_path, capsys):
    old = os.umask(umask)
    try:
        assert cli.main(["prices", "--csv", str(tmp_path / "p.csv"), "--quiet"]) == 0
        assert cli.main([*QUICK, "--out", str(tmp_path / "o")]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    files = [tmp_path / "p.csv", tmp_path / "p.run.toml", *(tmp_path / "o").iterdir()]
    assert files and all((p.stat().st_mode & 0o777) == mode for p in files), \
        {p.name: oct(p.stat().st_mode & 0o777) for p in files}
