from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
from scoring import score_outputs

from dedup.cli import main
from dedup.parallel import WORKER_GC_THRESHOLD

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_clean_seeds_scores_perfectly(tmp_path: Path) -> None:
    assert main(["clean", str(FIXTURES / "seeds"), "--out", str(tmp_path)]) == 0
    outputs = {p.stem: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.txt")}
    score = score_outputs(FIXTURES / "seeds-expected", outputs)
    assert score.expected > 0
    assert (score.precision, score.recall, score.mojibake) == (1.0, 1.0, 0), score.report()


def test_clean_skips_bad_inputs_and_says_so(tmp_path: Path, capsys) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("A headline\nA body paragraph that says something.\n", encoding="utf-8")
    (src / "bin.txt").write_bytes(b"\x00\x00garbage")
    code = main(["clean", str(src), "--out", str(tmp_path / "out"), "--explain"])
    assert code == 1
    assert (tmp_path / "out" / "good.txt").exists() and not (tmp_path / "out" / "bin.txt").exists()
    assert "bin.txt" in capsys.readouterr().err


def test_clean_jsonl_with_named_field_and_report(tmp_path: Path) -> None:
    src = tmp_path / "pages.jsonl"
    src.write_text(json.dumps({"url_id": "p/1", "body": "Title\nSome words of text here."}) + "\n", encoding="utf-8")
    report = tmp_path / "report.jsonl"
    code = main(["clean", str(src), "--id-field", "url_id", "--text-field", "body",
                 "--out", str(tmp_path / "out"), "--report", str(report)])
    assert code == 0
    assert (tmp_path / "out" / "p_1.txt").exists()
    assert json.loads(report.read_text(encoding="utf-8"))["id"] == "p/1"


def test_cluster_writes_one_record_per_document_and_dedup_corpus(tmp_path: Path) -> None:
    out, corpus = tmp_path / "c.jsonl", tmp_path / "dedup.jsonl"
    docs = FIXTURES / "syndication" / "docs"
    code = main(["cluster", str(docs), "--out", str(out), "--dedup-out", str(corpus), "--progress", "never"])
    assert code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(list(docs.glob("*.txt")))
    for key in ("id", "cluster", "representative", "duplicate_of", "similarity", "status"):
        assert all(key in r for r in records)
    kept = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    assert {k["id"] for k in kept} == {r["id"] for r in records if r["representative"]}
    assert all(k["text"] for k in kept)


def test_cluster_makes_the_folders_of_its_outputs_and_names_one_it_cannot_write(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = FIXTURES / "syndication" / "docs"
    out, corpus = tmp_path / "new" / "records.jsonl", tmp_path / "other" / "deep" / "corpus.jsonl"
    assert main(["cluster", str(docs), "--out", str(out), "--dedup-out", str(corpus), "--progress", "never"]) == 0
    assert out.read_text().count("\n") == len(list(docs.iterdir())) and corpus.stat().st_size > 0
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    capsys.readouterr()
    assert main(["cluster", str(docs), "--out", str(blocker / "records.jsonl"), "--progress", "never"]) == 2
    assert f"cannot write {blocker / 'records.jsonl'}" in capsys.readouterr().err
    assert main(["cluster", str(docs), "--out", str(out), "--dedup-out", str(blocker / "c.jsonl"),
                 "--progress", "never"]) == 2


def test_clean_names_an_output_it_cannot_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["clean", str(FIXTURES / "seeds"), "--out", str(blocker)]) == 2
    assert f"cannot write to {blocker}" in capsys.readouterr().err
    report = blocker / "report.jsonl"
    assert main(["clean", str(FIXTURES / "seeds"), "--out", str(tmp_path / "out"), "--report", str(report)]) == 2
    assert f"cannot write {report}" in capsys.readouterr().err
    assert main(["clean", str(FIXTURES / "seeds"), "--out", str(tmp_path / "out"),
                 "--report", str(tmp_path / "new" / "report.jsonl")]) == 0


def test_cluster_reads_stdin_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": "one two three four five six"}), "oops",
             json.dumps({"id": "b", "text": "one two three four five six"})]
    proc = subprocess.run([sys.executable, "-m", "dedup", "cluster", "-", "--out", "-", "--no-clean"],
                          input="\n".join(lines), capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["status"] for r in records] == ["ok", "skipped", "exact"]
    assert "invalid JSON" in proc.stderr and "<stdin>:2" in proc.stderr


def test_bad_config_is_a_clean_message(tmp_path: Path, capsys) -> None:
    code = main(["cluster", str(FIXTURES / "seeds"), "--out", str(tmp_path / "x"), "--num-perm", "3"])
    assert code == 2
    err = capsys.readouterr().err
    assert "num_perm" in err and "Traceback" not in err


def test_dump_config_round_trips(tmp_path: Path, capsys) -> None:
    assert main(["cluster", "x", "--out", "-", "--dump-config", "--threshold", "0.6"]) == 0
    cfg = tmp_path / "cfg.json"
    cfg.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["cluster", "x", "--out", "-", "--dump-config", "--config", str(cfg)]) == 0
    assert json.loads(capsys.readouterr().out)["verify"]["jaccard"] == 0.6


def _status_and_modules_loaded(argv: list[str], modules: tuple[str, ...]) -> str:
    """``dedup`` run with ``argv`` in a fresh interpreter: "<exit status> [<which of modules it loaded>]"."""
    code = (
        f"import sys; from dedup.cli import main; status = main({argv!r}); "
        f"print(status, sorted(m for m in {modules!r} if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def test_the_command_tunes_its_own_collector_and_main_leaves_a_callers_alone(tmp_path: Path) -> None:
    """``dedup`` / ``python -m dedup`` run in a process of their own and collect the youngest
    generation less often (see dedup.parallel.own_process_gc); ``main`` called by a program leaves
    that program's collector as it was."""
    seeds = FIXTURES / "seeds"
    before = gc.get_threshold()
    assert main(["clean", str(seeds), "--out", str(tmp_path / "a")]) == 0
    assert gc.get_threshold() == before
    argv = ["dedup", "clean", str(seeds), "--out", str(tmp_path / "b")]
    code = (
        "import atexit, gc, runpy, sys; atexit.register(lambda: print('threshold', gc.get_threshold()[0])); "
        f"sys.argv = {argv!r}; runpy.run_module('dedup', run_name='__main__')"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[-2:] == ["threshold", str(WORKER_GC_THRESHOLD)]
    assert len(list((tmp_path / "b").glob("*.txt"))) == 4


def test_clean_command_does_not_load_the_clustering_half(tmp_path: Path) -> None:
    # `dedup clean` starts in a fraction of a second: numba and datasketch (with scipy) are
    # imported only by `dedup cluster`.
    seeds = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
    argv = ["clean", str(seeds), "--out", str(tmp_path)]
    assert _status_and_modules_loaded(argv, ("numba", "datasketch", "scipy", "dedup.pipeline")) == "0 []"
    assert len(list(tmp_path.glob("*.txt"))) == 4


def test_cluster_command_does_not_load_datasketch_or_scipy(tmp_path: Path) -> None:
    # datasketch (and scipy.integrate, which it imports: ~0.5 s) serves only the reference path and
    # the peers. (numba imports the bare scipy package, a few ms.)
    docs = Path(__file__).resolve().parents[1] / "fixtures" / "syndication" / "docs"
    out = tmp_path / "clusters.jsonl"
    argv = ["cluster", str(docs), "--out", str(out), "--progress", "never"]
    assert _status_and_modules_loaded(argv, ("datasketch", "scipy.integrate")) == "0 []"
    assert out.read_text(encoding="utf-8").count("\n") == len(list(docs.iterdir()))


def test_a_leftover_folder_hiding_dedup_is_named_not_a_traceback(tmp_path: Path) -> None:
    # What pip's uninstall leaves when files it did not install stay behind: a bare ``dedup`` folder
    # that imports as an empty namespace package ahead of the real one (see dedup/_jit.py).
    leftover = tmp_path / "site" / "dedup"
    (leftover / "__pycache__").mkdir(parents=True)
    real = Path(__file__).resolve().parent.parent / "dedup"
    # Built by hand rather than found on sys.path, so that no installed dedup can win the search.
    code = ("import importlib.machinery, importlib.util, sys; "
            "spec = importlib.machinery.ModuleSpec('dedup', None, is_package=True); "
            f"spec.submodule_search_locations = [{str(leftover)!r}, {str(real)!r}]; "
            "sys.modules['dedup'] = importlib.util.module_from_spec(spec); import dedup.cli")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert f"the folder {leftover} holds no dedup code" in done.stderr
