"""The start-up cache of parsed lexicon YAML: used only when it holds exactly the files' bytes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from juru.scan import lexicon
from juru.scan.lexicon import LexiconError, cache_dir


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _files(tmp_path: Path, *texts: str) -> tuple[list[Path], list[bytes]]:
    paths = []
    for index, text in enumerate(texts):
        path = tmp_path / f"list{index}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths, [path.read_bytes() for path in paths]


LIST = "detector: lexicon.test\nentity: TEST\nterms: [kopi, teh]\n"


def _cache_files() -> list[Path]:
    return sorted(cache_dir().glob("lexicons-*.marshal"))


def test_missing_cache_is_written_and_then_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths, raws = _files(tmp_path, LIST)
    first = lexicon._cached_yaml(paths, raws)
    assert first == [{"detector": "lexicon.test", "entity": "TEST", "terms": ["kopi", "teh"]}]
    assert len(_cache_files()) == 1
    monkeypatch.setattr(lexicon, "_parse_yaml", lambda path, raw: pytest.fail("parsed although cached"))
    assert lexicon._cached_yaml(paths, raws) == first


def test_a_changed_file_is_parsed_again_not_served_stale(tmp_path: Path) -> None:
    paths, raws = _files(tmp_path, LIST)
    lexicon._cached_yaml(paths, raws)
    (stale,) = _cache_files()
    paths, raws = _files(tmp_path, LIST.replace("teh", "susu"))
    assert lexicon._cached_yaml(paths, raws)[0]["terms"] == ["kopi", "susu"]
    (fresh,) = _cache_files()
    assert fresh != stale


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda blob: b"",
    "not a cache": lambda blob: b"not a cache",
    "truncated": lambda blob: blob[:-5],
    "one byte changed": lambda blob: blob[:40] + bytes([blob[40] ^ 1]) + blob[41:],
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path, corrupt: Callable[[bytes], bytes]) -> None:
    paths, raws = _files(tmp_path, LIST)
    expected = lexicon._cached_yaml(paths, raws)
    (cached,) = _cache_files()
    cached.write_bytes(corrupt(cached.read_bytes()))
    assert lexicon._load_cache(cached, 1) is None
    assert lexicon._cached_yaml(paths, raws) == expected
    assert lexicon._load_cache(cached, 1) == expected


def test_an_unwritable_cache_directory_only_costs_parsing(tmp_path: Path, cache_home: Path) -> None:
    cache_home.write_text("a file where the cache directory should be", encoding="utf-8")
    paths, raws = _files(tmp_path, LIST)
    assert lexicon._cached_yaml(paths, raws)[0]["entity"] == "TEST"
    assert lexicon._cached_yaml(paths, raws)[0]["entity"] == "TEST"


def test_data_marshal_cannot_hold_is_used_without_caching(tmp_path: Path) -> None:
    paths, raws = _files(tmp_path, LIST + "source: 2024-01-31\n")
    assert str(lexicon._cached_yaml(paths, raws)[0]["source"]) == "2024-01-31"
    assert _cache_files() == []


def test_invalid_yaml_is_still_a_clear_error(tmp_path: Path) -> None:
    paths, raws = _files(tmp_path, "terms: [unclosed\n")
    with pytest.raises(LexiconError, match="list0.yaml: not valid YAML"):
        lexicon._cached_yaml(paths, raws)
