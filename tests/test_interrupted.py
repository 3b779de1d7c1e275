"""Interrupted runs: a kill at any moment leaves complete results or none, a second run
into the same folder is refused, a killed sweep or allocation leaves no worker behind,
and resuming gives the results of an uninterrupted run (a truncated cache file is
solved again, not a crash)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from optimiser.cli import app
from optimiser.files import MARKER, claim_output, write_files

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """The default neighbourhood heated by an electric boiler (an LP), two parties."""
    data = yaml.safe_load((REPO / "models/default/wijk.yaml").read_text())
    data["technologies"] = {
        "grid": {"max_kw": 4000},
        "backup_boiler": {"fuel": "electricity", "max_kw": 5000},
    }
    data["parties"] = [
        {"name": "tenants", "demands": ["apartment", "mid_terrace", "corner"]},
        {"name": "owners", "demands": ["semi_detached", "detached", "school", "shops"]},
    ]
    path = tmp_path_factory.mktemp("tiny") / "wijk.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def wijk(*args: str) -> subprocess.Popen:
    """``wijk ARGS`` in a new process (as a user starts it), output discarded."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "optimiser.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout: float = 300.0) -> None:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def complete_set(out: Path) -> str:
    """The input hash of the result set in ``out``; fails unless the set is complete
    and consistent (every file of the marker present, summary and NetCDF of one run)."""
    marker = json.loads((out / MARKER).read_text())
    assert sorted(p.name for p in out.iterdir() if p.name != MARKER) == marker["files"]
    summary = json.loads((out / "summary.json").read_text())
    with xr.open_dataset(out / "results.nc") as ds:
        assert ds.attrs["input_hash"] == summary["input_hash"]
    return summary["input_hash"]


def test_write_files_is_all_or_nothing(tmp_path):
    """An error or Ctrl-C while the second file is written leaves the old set whole and
    no staging folder; a second command claiming the folder meanwhile is refused."""
    out = tmp_path / "out"
    write_files(
        out, {"a.txt": lambda p: p.write_text("old a"), "b.txt": lambda p: p.write_text("old b")}
    )

    def interrupted(_path: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_files(out, {"a.txt": lambda p: p.write_text("new a"), "b.txt": interrupted})
    assert (out / "a.txt").read_text() == "old a" and (out / "b.txt").read_text() == "old b"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    with claim_output(out):
        result = runner.invoke(app, ["run", "--out", str(out)])
        assert result.exit_code == 2
        assert "another wijk command is writing to this folder" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # lock gone too


def test_killed_run_leaves_the_old_set_or_the_new_one(tmp_path, tiny):
    """SIGKILL a run while it writes over an earlier run: the folder holds one complete
    set, the next run clears the leftover staging folder and a normal exit leaves none."""
    out = tmp_path / "out"
    first = wijk("run", str(tiny), "-k", "2", "--threads", "1", "--out", str(out))
    assert first.wait() == 0, first.stderr.read()
    old = complete_set(out)
    changed = tiny.parent / "changed.yaml"
    changed.write_text(tiny.read_text().replace("discount_rate: 0.04", "discount_rate: 0.05"))
    second = wijk("run", str(changed), "-k", "2", "--threads", "1", "--out", str(out))
    wait_for(lambda: any(tmp_path.glob(".wijk-out-*")) or second.poll() is not None)
    second.send_signal(signal.SIGKILL)
    second.wait()
    complete_set(out)  # the old set or the new one, whole
    third = wijk("run", str(changed), "-k", "2", "--threads", "1", "--out", str(out))
    assert third.wait() == 0, third.stderr.read()
    assert complete_set(out) != old
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_killed_sweep_stops_its_workers_and_resumes(tmp_path, tiny):
    """SIGKILL a sweep once its first scenario is cached: its workers exit within
    seconds; a truncated cache file is solved again; the resumed sweep equals an
    uninterrupted one."""
    cache = tmp_path / "cache"
    args = ["sweep", str(tiny), "--set", "prices.electricity.supplier_margin_eur_per_kwh=0.01,0.03"]
    args += ["-k", "2", "--workers", "2", "--cache", str(cache)]
    killed = wijk(*args, "--out", str(tmp_path / "killed"))
    wait_for(lambda: len(children(killed.pid)) >= 2 or killed.poll() is not None)
    assert killed.poll() is None, killed.stderr.read()  # the sweep runs on its workers
    workers = children(killed.pid)
    wait_for(lambda: any(cache.glob("*.json")) or killed.poll() is not None)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=15)
    assert not (tmp_path / "killed").exists()
    done = sorted(cache.glob("*.json"))
    done[0].write_text(done[0].read_text()[:20])  # cut short, as by a kill mid-write
    resumed = wijk(*args, "--out", str(tmp_path / "resumed"))
    assert resumed.wait() == 0, resumed.stderr.read()
    fresh = wijk(
        *args[:-2], "--cache", str(tmp_path / "fresh-cache"), "--out", str(tmp_path / "fresh")
    )
    assert fresh.wait() == 0, fresh.stderr.read()
    a = (tmp_path / "resumed" / "sweep.csv").read_text()
    assert a == (tmp_path / "fresh" / "sweep.csv").read_text()


def test_terminated_allocation_resumes_to_the_same_result(tmp_path, tiny):
    """SIGTERM (``kill``) an allocation once a coalition is cached: it ends with exit
    130 saying nothing was written and no worker left; resuming gives the allocation
    of an uninterrupted run."""
    cache = tmp_path / "cache"
    args = ["allocate", str(tiny), "-k", "2", "--workers", "2", "--cache", str(cache)]
    stopped = wijk(*args, "--out", str(tmp_path / "stopped"))
    wait_for(lambda: len(children(stopped.pid)) >= 2)
    workers = children(stopped.pid)
    wait_for(lambda: any(cache.glob("*.json")) or stopped.poll() is not None)
    stopped.send_signal(signal.SIGTERM)
    assert stopped.wait() == 130
    assert "interrupted; no results written" in stopped.stderr.read()
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=15)
    assert not (tmp_path / "stopped").exists()
    resumed = wijk(*args, "--out", str(tmp_path / "resumed"))
    assert resumed.wait() == 0, resumed.stderr.read()
    fresh = wijk(
        *args[:-2], "--cache", str(tmp_path / "fresh-cache"), "--out", str(tmp_path / "fresh")
    )
    assert fresh.wait() == 0, fresh.stderr.read()
    a = json.loads((tmp_path / "resumed" / "allocation.json").read_text())
    b = json.loads((tmp_path / "fresh" / "allocation.json").read_text())
    assert a["rules"] == b["rules"]
