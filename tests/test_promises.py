"""Promises under faults and bad input: checked shards, a locked folder, one-line errors, nothing executed."""
import errno
import json
import os
import pickle
import threading

import numpy as np
import pytest
from click.testing import CliRunner

from bedlam_tools import build_state, shards
from bedlam_tools.build_state import FolderBusy, folder_lock
from bedlam_tools.script_builder import BuildConfig, ScriptBuild
from cli.bedlam_fix import main as bedlam_fix
from cli.bedlam_script import main as bedlam_script
from cli.posescript import main as posescript
from tests.test_script_builder import CONFIG, build, files
from tests.toy_source import ToySource


def run(main, *args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, *words):
    """The command failed as a user error: exit code 2, one line on stderr naming `words`, no traceback."""
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert all(word in lines[0] for word in words), lines[0]
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("promises") / "out", workers=1)


# ---------------------------------------------------------------- checked shards

def test_a_changed_shard_is_refused_everywhere_and_rebuilt_by_a_resumed_build(built, tmp_path):
    original = files(built)
    out = tmp_path / "out"
    build(out, workers=1)
    shard = out / "data" / "train-00001.parquet"
    data = bytearray(shard.read_bytes())
    data[len(data) // 2:len(data) // 2 + 1000] = os.urandom(1000)
    shard.write_bytes(bytes(data))
    for result in (run(bedlam_script, "info", out), run(bedlam_script, "show", out, "--id", "toy/s1/q0/f0001"),
                   run(bedlam_fix, "pairs", "--script", out, "--out", tmp_path / "fix")):
        one_line_error(result, "train-00001.parquet", "sha256")
    verified = run(bedlam_script, "verify", out)
    assert verified.exit_code == 2 and "train-00000.parquet" not in verified.output
    assert "train-00001.parquet: sha256 differs" in verified.output
    build(out, workers=1)  # the resumed build rebuilds that shard (and only it), with its true sha256
    assert files(out) == original
    assert run(bedlam_script, "verify", out).exit_code == 0


def test_a_deleted_shard_is_refused(built, tmp_path):
    out = tmp_path / "out"
    build(out, workers=1)
    (out / "data" / "train-00002.parquet").unlink()
    one_line_error(run(bedlam_script, "info", out), "train-00002.parquet", "missing")


def test_a_finished_build_stops_at_once(built, monkeypatch):
    monkeypatch.setattr(ToySource, "candidates", lambda *a: pytest.fail("candidates made again"))
    assert ScriptBuild(CONFIG, built, ToySource()).run(progress=False) == {}


def test_one_shard_is_built_by_several_tasks(tmp_path, monkeypatch):
    from bedlam_tools import script_builder

    monkeypatch.setattr(script_builder, "TASK_ROWS", 3)
    calls = []
    real = script_builder.build_shard
    monkeypatch.setattr(script_builder, "build_shard", lambda *args: calls.append(1) or real(*args))
    config = BuildConfig(split="train", n=12, source="toy", rows_per_shard=100, contacts=False)
    out = build(tmp_path / "out", config, workers=1)
    assert len(calls) == 4 and [e["rows"] for e in json.loads((out / "manifest.json").read_text())["splits"]["train"]
                                ["shards"]] == [11]
    monkeypatch.setattr(script_builder, "build_shard", real)
    assert files(build(tmp_path / "pool", config, workers=2)) == files(out)


# ---------------------------------------------------------------- one build per folder

def test_a_second_build_into_a_held_folder_is_refused_naming_the_holder(tmp_path):
    with folder_lock(tmp_path / "out"):
        with pytest.raises(FolderBusy, match=rf"pid {os.getpid()} on"):
            build(tmp_path / "out", workers=1)
    build(tmp_path / "out", workers=1)  # released


def test_writers_of_one_file_never_share_a_temporary_name(tmp_path):
    table = ToySource().candidates("train")
    import pyarrow as pa

    rows = pa.table({"id": table.ids.astype(str)})
    errors = []

    def write():
        try:
            for _ in range(20):
                shards.write_atomic(rows, tmp_path / "same.parquet")
        except Exception as err:  # noqa: BLE001 - the test collects whatever goes wrong
            errors.append(err)

    writers = [threading.Thread(target=write) for _ in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    assert not errors and not list(tmp_path.glob("*.tmp")) and len({shards.temporary_name(tmp_path / "x")
                                                                     for _ in range(50)}) == 50


def test_a_build_that_cannot_start_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    result = run(bedlam_script, "build", "--n", 5, "--model-dir", tmp_path / "nope", "--out", out)
    one_line_error(result, "nope")
    assert not out.exists()


def test_a_build_stopped_before_its_first_shard_does_not_block_another_configuration(tmp_path, monkeypatch):
    from bedlam_tools import script_builder

    def stops(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(script_builder, "build_shard", stops)
    with pytest.raises(KeyboardInterrupt):
        build(tmp_path / "out", workers=1)
    monkeypatch.undo()
    other = BuildConfig(split="train", n=8, source="toy", rows_per_shard=5, contacts=False)
    build(tmp_path / "out", other, workers=1)
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["splits"]["train"]["counts"]["selected"] == 8


# ---------------------------------------------------------------- one-line errors

def test_output_errors_are_one_line(built, tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    one_line_error(run(bedlam_script, "build", "--n", 5, "--out", blocker / "below"), str(blocker))
    one_line_error(run(bedlam_fix, "pairs", "--script", built, "--out", blocker / "below"), str(blocker))
    one_line_error(run(bedlam_script, "show", built, "--id", "toy/s1/q0/f0001", "-o", blocker / "x.png"),
                   str(blocker))

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")  # as a write to a full device raises it

    monkeypatch.setattr(type(tmp_path), "write_text", full)
    one_line_error(run(bedlam_fix, "pairs", "--script", built, "--out", tmp_path / "fix"), "No space left")


def test_folder_errors_are_one_line(built, tmp_path):
    fix = tmp_path / "fix"
    assert run(bedlam_fix, "pairs", "--script", built, "--out", fix).exit_code == 0
    one_line_error(run(bedlam_script, "info", fix), "bedlam-fix folder", "bedlam-script build")
    one_line_error(run(bedlam_fix, "pairs", "--script", fix, "--out", tmp_path / "again"), "bedlam-fix folder")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json")
    one_line_error(run(bedlam_script, "info", broken), "not a valid manifest")
    one_line_error(run(bedlam_fix, "pairs", "--script", broken), "not a valid manifest")
    for bounds in (("0.95", "0.5"), ("-2", "0.5"), ("0.5", "1.5")):
        one_line_error(run(bedlam_fix, "pairs", "--script", built, "--out", tmp_path / "b", "--min-similarity",
                           bounds[0], "--max-similarity", bounds[1]), "similarity bounds")


# ---------------------------------------------------------------- user files are parsed, not executed

class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_pickle_that_would_run_code_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"global_orient": np.zeros(3), "body_pose": _RunsCode(marker)}))
    one_line_error(run(posescript, "describe", path), "evil.pkl", "refused to load", "system")
    assert not marker.exists()


def test_a_pickle_of_arrays_is_read(tmp_path):
    path = tmp_path / "params.pkl"
    path.write_bytes(pickle.dumps({"global_orient": np.zeros((1, 3), np.float32), "body_pose": np.zeros((1, 63)),
                                   "betas": np.zeros(10), "gender": "female"}))
    result = run(posescript, "describe", path, "--no-contacts", "--captions", 1)
    assert result.exit_code == 0 and not any(w in result.output.lower().split() for w in ("his", "he")), result.output


@pytest.mark.parametrize("name, arrays, words", [
    ("zeros.npy", np.zeros((3, 52, 3)), ("frame 0", "collapse")),
    ("huge.npy", np.random.default_rng(0).normal(0, 1e30, (2, 52, 3)), ("frame 0", "metres")),
    ("empty.npy", np.zeros((0, 52, 3)), ("0 frames",)),
    ("mm.npy", None, ("frame 0", "metres")),
    ("rot.npz", {"global_orient": np.zeros((2, 3)), "body_pose": np.full((2, 63), 1e30)}, ("body_pose", "rad")),
    ("nan.npz", {"poses": np.full((2, 156), np.nan), "mocap_framerate": 30.0}, ("poses", "NaN")),
])
def test_degenerate_poses_are_refused_naming_file_field_and_frame(tmp_path, name, arrays, words):
    from tests.crafted import crafted_joints

    path = tmp_path / name
    if name == "mm.npy":
        arrays = crafted_joints("standing") * 1000  # millimetres
    if name.endswith(".npy"):
        np.save(path, arrays)
    else:
        np.savez(path, **arrays)
    one_line_error(run(posescript, "describe", path), name, *words)


def test_a_file_in_another_skeleton_is_detected():
    from tests.test_cli_describe import EXAMPLES

    one_line_error(run(posescript, "describe", EXAMPLES / "joints_coco17.npz", "--skeleton", "h36m17"),
                   "joints_coco17.npz", "--skeleton")


def test_comparing_a_pose_with_itself_says_there_is_no_difference():
    from tests.test_cli_describe import EXAMPLES

    result = run(posescript, "compare", EXAMPLES / "amass_poses.npz", EXAMPLES / "amass_poses.npz", "--no-contacts")
    assert result.exit_code == 0 and result.output.strip().splitlines() == [
        "no difference to describe: the two poses are the same in every paircode"]


def _broken_files(tmp_path, n=300, seed=0):
    """Randomly broken pose files of every kind: wrong keys, shapes, dtypes, values and bytes."""
    rng = np.random.default_rng(seed)
    shapes = [(), (0,), (3,), (52, 3), (2, 52, 3), (2, 17, 3), (2, 24, 3), (2, 22, 3), (2, 33, 3), (1, 156), (2, 165),
              (2, 63), (4, 5, 6, 7), (2, 52, 2), (2, 52, 3, 1)]
    values = [lambda s: rng.normal(0, 1, s), lambda s: np.zeros(s), lambda s: np.full(s, np.nan),
              lambda s: np.full(s, np.inf), lambda s: rng.normal(0, 1e30, s), lambda s: rng.integers(-5, 5, s),
              lambda s: np.full(s, "x"), lambda s: rng.normal(0, 1, s).astype(np.float16)]
    keys = ["poses", "joints", "global_orient", "body_pose", "root_orient", "pose_body", "betas", "mocap_framerate",
            "gender", "left_hand_pose", "trans", "other"]
    for i in range(n):
        kind = i % 5
        path = tmp_path / f"f{i}.{('npy', 'npz', 'npz', 'pkl', 'npz')[kind]}"
        pick = lambda: values[rng.integers(len(values))](shapes[rng.integers(len(shapes))])  # noqa: E731
        if kind == 0:
            np.save(path, pick())
        elif kind in (1, 2):
            chosen = rng.choice(keys, rng.integers(1, 5), replace=False)
            np.savez(path, **{str(k): pick() for k in chosen})
        elif kind == 3:
            content = {str(k): pick() for k in rng.choice(keys, rng.integers(1, 4), replace=False)}
            path.write_bytes(pickle.dumps(content if rng.random() < 0.8 else [content]))
        else:
            np.savez(path, joints=pick())
            data = bytearray(path.read_bytes())
            cut = rng.integers(0, len(data))
            path.write_bytes(bytes(data[:cut]) if rng.random() < 0.5 else bytes(data[:cut]) + os.urandom(50))
        yield path


def test_fuzz_broken_pose_files_give_captions_or_one_line_errors(tmp_path):
    outcomes = {0: 0, 2: 0}
    for path in _broken_files(tmp_path):
        result = run(posescript, "describe", path, "--no-contacts", "--captions", 1)
        assert result.exception is None or isinstance(result.exception, SystemExit), (path, result.exception)
        assert result.exit_code in outcomes, (path, result.output)
        if result.exit_code == 2:
            one_line_error(result, path.name)
        outcomes[result.exit_code] += 1
    assert outcomes[2] > 200 and outcomes[0] > 0  # most are broken; some random joints are a (strange) body


def test_build_state_lock_file_is_in_the_folder(tmp_path):
    with folder_lock(tmp_path / "o"):
        assert (tmp_path / "o" / build_state.LOCK).read_text().startswith(f"pid {os.getpid()}")
