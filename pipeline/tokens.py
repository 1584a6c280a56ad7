"""Tokens: fugashi (MeCab with unidic-lite) inside spaCy.

A tokenizer registered in spaCy's registry as ``pipeline.fugashi_tokenizer.v1`` turns text into a
spaCy ``Doc`` whose ``doc.text`` is exactly the input (whitespace kept as space tokens), with UniDic's
part of speech in ``tag_`` (``名詞-固有名詞``), a coarse ``pos_`` and the lemma. No SudachiPy.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import spacy
from spacy.tokens import Doc
from spacy.util import registry

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.vocab import Vocab

# UniDic's first-level part of speech -> Universal POS, for spaCy's coarse `pos_`.
_UPOS = {
    "名詞": "NOUN",
    "代名詞": "PRON",
    "形状詞": "ADJ",
    "形容詞": "ADJ",
    "連体詞": "DET",
    "副詞": "ADV",
    "接続詞": "CCONJ",
    "感動詞": "INTJ",
    "動詞": "VERB",
    "助動詞": "AUX",
    "助詞": "ADP",
    "接頭辞": "NOUN",
    "接尾辞": "NOUN",
    "記号": "SYM",
    "補助記号": "PUNCT",
    "空白": "SPACE",
}


class FugashiTokenizer:
    """Callable spaCy tokenizer backed by fugashi; line by line so MeCab never sees a newline."""

    def __init__(self, vocab: Vocab) -> None:
        import fugashi

        self.vocab = vocab
        self.tagger = fugashi.Tagger()

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        tags: list[str] = []
        pos: list[str] = []
        lemmas: list[str] = []

        def add_space(gap: str) -> None:
            if gap == " " and words and not words[-1].isspace():
                spaces[-1] = True
            else:
                words.append(gap)
                spaces.append(False)
                tags.append("空白")
                pos.append("SPACE")
                lemmas.append(gap)

        pos_in_text = 0
        for line in text.split("\n"):
            cursor = 0
            for w in self.tagger(line):
                surface = w.surface
                at = line.find(surface, cursor)
                if at < 0:  # MeCab never rewrites text, but never lose alignment either
                    continue
                if at > cursor:
                    add_space(line[cursor:at])
                f = w.feature
                pos1 = f.pos1 or ""
                pos2 = f.pos2 if f.pos2 and f.pos2 != "*" else ""
                words.append(surface)
                spaces.append(False)
                tags.append(f"{pos1}-{pos2}" if pos2 else pos1)
                upos = _UPOS.get(pos1, "X")
                if pos1 == "名詞" and pos2 == "固有名詞":
                    upos = "PROPN"
                elif pos1 == "名詞" and pos2 == "数詞":
                    upos = "NUM"
                pos.append(upos)
                lemmas.append(getattr(f, "lemma", None) or surface)
                cursor = at + len(surface)
            if cursor < len(line):
                add_space(line[cursor:])
            pos_in_text += len(line) + 1
            if pos_in_text <= len(text):
                add_space("\n")
        doc = Doc(self.vocab, words=words, spaces=spaces, tags=tags, pos=pos, lemmas=lemmas)
        if doc.text != text:
            raise AssertionError("tokenizer lost alignment with the text")
        return doc

    def to_disk(self, path: Any, **kwargs: Any) -> None:  # serialisation hooks spaCy expects
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> FugashiTokenizer:
        return self


@registry.tokenizers("pipeline.fugashi_tokenizer.v1")
def create_fugashi_tokenizer() -> Any:
    def make(nlp: Language) -> FugashiTokenizer:
        return FugashiTokenizer(nlp.vocab)

    return make


@functools.lru_cache(maxsize=1)
def japanese_nlp() -> Language:
    """A blank Japanese spaCy pipeline whose tokenizer is fugashi."""
    config = {"nlp": {"tokenizer": {"@tokenizers": "pipeline.fugashi_tokenizer.v1"}}}
    return spacy.blank("ja", config=config)


def tokenize(text: str) -> Doc:
    return japanese_nlp().make_doc(text)


def token_boundaries(doc: Doc) -> tuple[set[int], set[int]]:
    """Character offsets where tokens start and where they end."""
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    return starts, ends
