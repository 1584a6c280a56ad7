"""Issue 18, tokens: the tokenizer's fast path (MeCab's output in a format of its own, split once, the
Doc built from arrays) gives exactly the Doc of the algorithm it replaced.

``_old_tokens`` below is that algorithm as it was, word by word over MeCab's full UniDic text output;
every test compares words, trailing spaces, tags, POS, the offsets and word boundaries in ``user_data``,
and the Doc's own arrays. Both fast formats (the part of speech as text, and as MeCab's left context
id) and the node-based fallback are checked.
"""

from __future__ import annotations

import os
import random
import shutil
import struct
from typing import Any

import fugashi
import numpy
import pytest
from spacy.attrs import IDX, IS_SPACE, ORTH, POS, SPACY, TAG
from spacy.tokens import Doc

from pipeline.text import tokens as T

from .conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


# -- the algorithm the fast path replaced ------------------------------------------------------


def _old_tokens(tagger: Any, vocab: Any, text: str) -> Doc:
    """The tokenizer before issue 18: MeCab's full text output read line by line in Python."""
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str] = []
    pos: list[str] = []
    offsets: list[int] = []
    starts: set[int] = set()
    ends: set[int] = set()

    def add_space(gap: str, at: int) -> None:
        if gap == " " and words and not words[-1].isspace():
            spaces[-1] = True
        else:
            words.append(gap)
            spaces.append(False)
            tags.append("空白")
            pos.append("SPACE")
            offsets.append(at)

    def analyse(line: str) -> list[tuple[str, str, str]]:
        if not line.strip():
            return []
        out = []
        for chunk in T._chunks(line, T.MAX_CHUNK):
            for row in tagger.parse(chunk).split("\n"):
                if row == "EOS" or not row:
                    continue
                cols = row.split("\t")
                assert len(cols) >= 5, row
                pos1, _, rest = cols[4].partition("-")
                out.append((cols[0], pos1, rest.partition("-")[0]))
        return out

    line_start = 0
    for line in text.split("\n"):
        cursor = 0
        for surface, pos1, pos2 in analyse(line):
            at = line.find(surface, cursor)
            if at < 0:
                continue
            if at > cursor:
                add_space(line[cursor:at], line_start + cursor)
            words.append(surface)
            spaces.append(False)
            tags.append(f"{pos1}-{pos2}" if pos2 else pos1)
            upos = T._UPOS.get(pos1, "X")
            if pos1 == "名詞" and pos2 == "固有名詞":
                upos = "PROPN"
            elif pos1 == "名詞" and pos2 == "数詞":
                upos = "NUM"
            pos.append(upos)
            offsets.append(line_start + at)
            starts.add(line_start + at)
            ends.add(line_start + at + len(surface))
            cursor = at + len(surface)
        if cursor < len(line):
            add_space(line[cursor:], line_start + cursor)
        line_start += len(line) + 1
        if line_start <= len(text):
            add_space("\n", line_start - 1)
    assert sum(map(len, words)) + sum(spaces) == len(text)
    doc = Doc(vocab, words=words, spaces=spaces, tags=tags, pos=pos)
    doc.user_data.update(token_offsets=offsets, token_starts=starts, token_ends=ends)
    return doc


def _summary(doc: Doc) -> tuple[Any, ...]:
    return ([t.text for t in doc], [t.whitespace_ for t in doc], [t.tag_ for t in doc], [t.pos_ for t in doc],
            doc.to_array([ORTH, TAG, POS, IDX, SPACY, IS_SPACE]).tolist(), doc.user_data["token_offsets"],
            sorted(doc.user_data["token_starts"]), sorted(doc.user_data["token_ends"]), doc.text)


@pytest.fixture(scope="module")
def tokenizers() -> dict[str, Any]:
    vocab = T.japanese_nlp().vocab
    by_id = T.FugashiTokenizer(vocab)
    as_text = T.FugashiTokenizer(vocab, left_ids=False)
    assert by_id.fast is not None and by_id._rows.names is not None  # the left-id format is the one in use
    assert as_text.fast is not None and as_text._rows.names is None
    return {"old": lambda text: _old_tokens(fugashi.Tagger(), vocab, text), "left ids": by_id,
            "pos text": as_text, "nodes": by_id.reference_call}


def _assert_all_agree(tokenizers: dict[str, Any], text: str) -> None:
    want = _summary(tokenizers["old"](text))
    assert want[-1] == text
    for name in ("left ids", "pos text", "nodes"):
        assert _summary(tokenizers[name](text)) == want, (name, text[:80])


# -- texts ---------------------------------------------------------------------------------------

HOSTILE = {
    "half-width katakana": "ｶﾞｲﾄﾞﾗｲﾝ ｱｲｳｴｵ ﾃﾞｰﾀ(ｼｽﾃﾑ)",
    "emoji": "予算😀は3億円🎉です 👍🏽 👨‍👩‍👧",
    "combining marks": "e\u0301te\u0301 か\u3099き\u3099 ﾊ\uff9fﾝ",
    "ideographic space": "\u3000東京都\u3000\u3000大阪府\u3000 京都府 \u3000",
    "tabs": "項目\t金額\t\t備考\t \t終わり\t",
    "unknown-word runs": "ｱｱｱｱｱｱｱｱｱｱ" * 30 + "ΑΒΓΔΕ" * 20 + "𠀋𡈽𡌛" * 10,
    "spaces": "  先頭  と 末尾 の 空白  ",
    "space after space token": "\u3000 a \t b",
    "one space line": " ",
    "blank lines": "\n\n \n\t\n\u3000\n",
    "control characters": "a\x0bb\x0cc\x1dd\x7fe\u200bf\ufeffg\u2028h",
    "NUL": "a\x00b 東京\n\x00\nx\x00",
    "carriage returns": "行1\r\n行2 \r\n\r",
    "no final newline": "終わり",
    "final newline": "終わり\n",
    "empty": "",
    "long line, cut after punctuation": ("地域クラスター関連予算は134億円、" * 200),
    "long line, no cut": "あ" * 5000,
    "long line, spaces at the cuts": ("x" * 2040 + " " * 20) * 4 + "y",
    "long line, a chunk of spaces": "x" * 10 + " " * 5000 + "y",
    "long line, words and spaces": "あ い " * 2000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_lines(tokenizers: dict[str, Any], name: str) -> None:
    _assert_all_agree(tokenizers, HOSTILE[name])


def test_the_seed(tokenizers: dict[str, Any]) -> None:
    _assert_all_agree(tokenizers, SEED_TEXT)


def _random_lines(n: int, seed: int) -> list[str]:
    """Lines of the seed's characters mixed with whitespace and odd characters, cut at random."""
    rng = random.Random(seed)
    odd = [" ", "  ", "\t", "\u3000", "ｱ", "ﾞ", "😀", "\u0301", "\r", "\x0b", "Ω", "①", "ー", "〜", "　 "]
    pool = [c for c in SEED_TEXT if c != "\n"]
    lines = []
    for _ in range(n):
        start = rng.randrange(len(SEED_TEXT) - 200)
        chars = list(SEED_TEXT[start : start + rng.randint(0, 120)].replace("\n", ""))
        for _ in range(rng.randint(0, 6)):
            chars.insert(rng.randint(0, len(chars)), rng.choice(odd + pool))
        lines.append("".join(chars))
    return lines


def test_random_lines(tokenizers: dict[str, Any]) -> None:
    lines = _random_lines(400, seed=18)
    for i in range(0, len(lines), 50):
        _assert_all_agree(tokenizers, "\n".join(lines[i : i + 50]))
    for line in lines[:100]:
        _assert_all_agree(tokenizers, line)


@pytest.mark.parametrize("block", [1, 2, 3, 7])
def test_texts_read_in_blocks_of_lines(tokenizers: dict[str, Any], block: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path reads a long text in blocks of ``_BLOCK_LINES`` lines: with blocks of a few lines,
    every kind of line stands at a block's end and start (whitespace lines, trailing spaces, a final
    newline or none), and the Doc is the one the old algorithm makes of the whole text."""
    monkeypatch.setattr(T, "_BLOCK_LINES", block)
    hostile = [HOSTILE[k] for k in sorted(HOSTILE) if "long line" not in k]
    for text in ["\n".join(hostile), "\n".join(_random_lines(60, seed=block)), SEED_TEXT[:3000],
                 "\n\n\n", "a \n b\n \n", "x\n"]:
        _assert_all_agree(tokenizers, text)


def test_a_text_longer_than_a_block_is_read_in_blocks(tokenizers: dict[str, Any],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    blocks: list[int] = []
    tok = tokenizers["left ids"]
    original = tok._block
    monkeypatch.setattr(tok, "_block", lambda lines, last: blocks.append(len(lines)) or original(lines, last))
    text = "\n".join(_random_lines(T._BLOCK_LINES * 2 + 5, seed=5))
    _assert_all_agree(tokenizers, text)
    assert blocks == [T._BLOCK_LINES, T._BLOCK_LINES, 5]


# -- the fallback ----------------------------------------------------------------------------------


class _Dropping:
    """A MeCab whose output loses the first character of the first word longer than one character."""

    def __init__(self, parse: Any) -> None:
        self._parse = parse

    def parse(self, text: str) -> str:
        fields = self._parse(text).split(T._SEP)
        for i in range(1, len(fields), 3):
            if len(fields[i]) > 1:
                fields[i] = fields[i][1:]
                break
        return T._SEP.join(fields)


def test_unexpected_output_falls_back_to_the_nodes(tokenizers: dict[str, Any],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    tok = T.FugashiTokenizer(T.japanese_nlp().vocab)
    calls: list[str] = []
    reference = tok.reference_call
    monkeypatch.setattr(tok, "reference_call", lambda text: calls.append(text) or reference(text))
    tok(SEED_TEXT)
    assert calls == []  # the fast path alone
    monkeypatch.setattr(tok, "fast", _Dropping(tok.fast.parse))
    assert _summary(tok(SEED_TEXT)) == _summary(tokenizers["old"](SEED_TEXT))
    assert calls == [SEED_TEXT]


def test_text_holding_the_separator_takes_the_nodes(tokenizers: dict[str, Any]) -> None:
    _assert_all_agree(tokenizers, f"東京{T._SEP}都 の{T._SEP}\n予算")


def test_unknown_left_id_falls_back(tokenizers: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    tok = T.FugashiTokenizer(T.japanese_nlp().vocab)
    names = {k: v for k, v in tok._rows.names.items() if v != "名詞-固有名詞-地名-一般"}  # 東京's id unknown
    monkeypatch.setattr(tok._rows, "names", names)
    assert _summary(tok("東京都と大阪府")) == _summary(tokenizers["old"]("東京都と大阪府"))


def test_a_tokenizer_whose_fast_path_disagrees_at_start_uses_the_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(T, "_format", lambda field: '-O "" -F "%m\\n" -E "\\n"')
    assert T.FugashiTokenizer(T.japanese_nlp().vocab).fast is None


# -- the left context ids --------------------------------------------------------------------------


def test_every_word_of_the_dictionary_has_its_left_ids_part_of_speech() -> None:
    """The left-id format relies on it: each of the installed dictionary's words (sys.dic) has the
    part of speech that left-id.def gives its left context id. Unknown words (unk.dic) do not, which
    is why they are printed with %F-[0,1,2,3]."""
    dicdir = fugashi.try_import_unidic()
    names = T._left_id_keys(dicdir)
    assert names is not None
    with open(os.path.join(dicdir, "sys.dic"), "rb") as fh:
        raw = fh.read()
    # MeCab's dictionary: ten uint32 (magic, version, type, lexsize, lsize, rsize, dsize, tsize, fsize,
    # dummy), a 32-byte charset, the double array, 16-byte tokens, then NUL-ended feature strings.
    dsize, tsize, fsize = struct.unpack_from("<3I", raw, 24)
    token = numpy.dtype([("left", "<u2"), ("right", "<u2"), ("posid", "<u2"), ("cost", "<i2"),
                         ("feature", "<u4"), ("compound", "<u4")])
    words = numpy.frombuffer(raw, dtype=token, count=tsize // 16, offset=72 + dsize)
    features = raw[72 + dsize + tsize : 72 + dsize + tsize + fsize]
    assert len(words) == fugashi.Tagger().dictionary_info[0]["size"]
    seen: dict[int, str] = {}
    wrong = []
    for left, at in zip(words["left"].tolist(), words["feature"].tolist(), strict=True):
        if at not in seen:
            fields = features[at : features.index(b"\0", at)].decode("utf-8").split(",")
            seen[at] = "-".join(f for f in fields[:4] if f != "*")
        if names[str(left)] != seen[at]:
            wrong.append((left, seen[at]))
    assert wrong == []


def test_left_ids_are_not_used_when_the_rewrite_rules_change_the_part_of_speech(tmp_path) -> None:
    dicdir = fugashi.try_import_unidic()
    for name in ("left-id.def", "rewrite.def"):
        shutil.copy(os.path.join(dicdir, name), tmp_path / name)
    assert T._left_id_keys(str(tmp_path)) is not None
    rewrite = (tmp_path / "rewrite.def").read_text(encoding="utf-8")
    (tmp_path / "rewrite.def").write_text(rewrite.replace("[left rewrite]\n", "[left rewrite]\n*,*,*,*\t$1,$2,*,$4\n"),
                                          encoding="utf-8")
    assert T._left_id_keys(str(tmp_path)) is None
    assert T._left_id_keys(str(tmp_path / "missing")) is None


def test_offset_sets_answer_as_sets_do() -> None:
    import numpy as np

    offsets = T.OffsetSet(np.array([0, 3, 7]), 10)
    assert 3 in offsets and np.int64(7) in offsets and 10 not in offsets and -1 not in offsets
    assert 4 not in offsets and 11 not in offsets and "3" not in offsets and 3.0 not in offsets
    assert sorted(offsets) == [0, 3, 7] and len(offsets) == 3 and offsets == {0, 3, 7}
    assert T.OffsetSet([10], 10) == T.OffsetSet(np.array([10]), 10) and 10 in T.OffsetSet([10], 10)
    assert len(T.OffsetSet([2, 2, 5], 9)) == 2 and not T.OffsetSet([], 9) and T.OffsetSet([0], 9)


def test_event_finder_asks_the_token_starts_size_once_per_text() -> None:
    """Counting the starts per name run made the names stage quadratic (a 500,000 character document
    took 10 s there, a 1,000,000 one 40 s): the finder asks whether there are any once per text."""
    from pipeline.core.rules import cached_rules
    from pipeline.extractors.events import event_extractor

    asked = []

    class Counted(T.OffsetSet):
        __slots__ = ()

        def __len__(self) -> int:
            asked.append(1)
            return super().__len__()

    lines = [f"第{i}回みなと産学交流フォーラム" for i in range(1, 60)]
    text = "\n".join(lines)
    runs, at = [], 0
    for line in lines:
        runs.append((at, at + len(line)))
        at += len(line) + 1
    starts = Counted([s for s, _ in runs], len(text))
    found = event_extractor(cached_rules()).find(text, runs, starts)
    assert [text[f.start : f.end] for f in found] == lines and len(asked) <= 1
