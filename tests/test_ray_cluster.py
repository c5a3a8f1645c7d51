"""`tamis run` on a real Ray cluster: three nodes on this machine (`ray.cluster_utils.Cluster`: a head
that runs no task, and two worker nodes of one CPU each, each with its own raylet, object store and
workers). Its output is the local engine's bytes, though its pieces and shards differ; the driver
reads no input record (the tasks do, on the worker nodes); and a worker node killed part-way through
the clean pass costs nothing: Ray runs its tasks again on the node left. Skipped without Ray."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
from ray.cluster_utils import Cluster  # noqa: E402

import tamis  # noqa: E402
import tamis.tasks  # noqa: E402
from test_engines import OUTPUTS, write_mixed_corpus  # noqa: E402
from test_remote import BUCKET, moto_s3  # noqa: E402

SPLIT = {"split_bytes": 40_000, "chunk_size": 8}  # news.jsonl in ranges, several shards a range


@pytest.fixture(scope="module")
def s3():
    with moto_s3() as fs:
        yield fs


@pytest.fixture(scope="module")
def cluster(s3):  # S3's endpoint and credentials are in the environment the nodes start with
    if ray.is_initialized():
        ray.shutdown()
    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    workers = [c.add_node(num_cpus=1) for _ in range(2)]
    c.wait_for_nodes()
    ray.init(address=c.address, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield c, workers
    ray.shutdown()
    c.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cluster") / "in"
    folder.mkdir()
    return write_mixed_corpus(folder, 120)


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cluster-ref")
    tamis.run([inputs], out, progress=False)
    return out


def same_bytes(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_three_node_cluster_gives_the_local_bytes(cluster, inputs, reference, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the driver read input records")

    # The driver's readers fail; the tasks run on the worker nodes, which import tamis afresh.
    monkeypatch.setattr(tamis.tasks, "walk_piece", refuse)
    monkeypatch.setattr(tamis.tasks, "read_from", refuse)
    with pytest.raises(AssertionError, match="driver read"):  # the local engine reads here: it fails
        tamis.run([inputs], tmp_path / "here", progress=False)
    # Dedup's candidate search in 8 tasks a step, spread over the nodes (a corpus this small gets one).
    summary = tamis.run([inputs], tmp_path / "out", engine="ray", progress=False, lsh_tasks=8, **SPLIT)
    assert summary["engine"] == "ray" and summary["shards"] > 15
    assert len(ray.nodes()) == 3 and ray.cluster_resources()["CPU"] == 2
    same_bytes(reference, tmp_path / "out")


def run_killing_a_node(cluster, inputs: list[str], out: str, shards_written) -> dict:
    """`tamis run` on the cluster, with one worker node SIGKILLed once two shards are written; the
    node is added back afterwards. Returns the run's summary."""
    c, workers = cluster
    done: dict = {}

    def run() -> None:
        try:
            done["summary"] = tamis.run(inputs, out, engine="ray", progress=False, **SPLIT)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            done["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and shards_written() < 2:
        time.sleep(0.05)
    assert thread.is_alive(), done  # still in its clean pass
    killed = workers.pop()
    c.remove_node(killed, allow_graceful=False)  # SIGKILL to its raylet, object store and workers
    try:
        thread.join(timeout=300)
        assert not thread.is_alive() and "error" not in done, done
        assert done["summary"]["shards_reused"] == 0  # one run, not a resumed one
        return done["summary"]
    finally:
        workers.append(c.add_node(num_cpus=1))


def test_a_worker_node_killed_part_way_changes_nothing(cluster, inputs, reference, tmp_path):
    out = tmp_path / "out"
    run_killing_a_node(cluster, [str(inputs)], str(out),
                       lambda: len(list((out / ".tamis" / "shards").glob("*.json"))))
    same_bytes(reference, out)


def test_a_cluster_on_s3_with_a_node_killed_gives_the_local_bytes(cluster, s3, inputs, reference):
    """Inputs read from S3 by the tasks on the worker nodes, shards and outputs written to S3, a node
    killed part-way: the local run's bytes."""
    s3.put(str(inputs) + "/", f"{BUCKET}/cluster-in/", recursive=True)
    out = f"{BUCKET}/cluster-out"
    summary = run_killing_a_node(cluster, [f"s3://{BUCKET}/cluster-in/"], f"s3://{out}",
                                 lambda: len(s3.glob(f"{out}/.tamis/shards/*.json", refresh=True)))
    assert summary["shards"] > 15
    for name in OUTPUTS:
        assert s3.cat_file(f"{out}/{name}") == (reference / name).read_bytes(), name
