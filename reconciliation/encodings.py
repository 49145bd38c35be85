"""The encoding of a text extract: what the user may choose, and the detection from the content
(a BOM, a strict UTF-8 decode, then the Cyrillic letter statistics of the cp1251 and cp866
readings). The readers (`reconciliation/readers.py`) read CSV and DBF files in it.
"""

from __future__ import annotations

import codecs
import math
from dataclasses import dataclass

from reconciliation.errors import ExtractError

# What the user may choose on the preview (and `manage.py reconcile --encoding`); both ways of
# running a CSV read with it (COPY's ENCODING in reconciliation/fastpath.py).
ENCODING_CHOICES = {
    "cp1251": "Windows-1251 (cp1251)",
    "cp866": "DOS, кодовая страница 866 (cp866)",
    "utf-8": "UTF-8",
}
ENCODING_LABELS = {**ENCODING_CHOICES, "utf-8-sig": "UTF-8 (с меткой BOM)", "cp437": "DOS (cp437)"}

# Russian letters per hundred in ordinary text. A wrong reading of a Cyrillic file puts
# box-drawing signs, Serbian letters or rare letters where the right one has common letters, so
# the likelier reading is told apart even in a file of a few names.
LETTER_FREQUENCY = {
    "о": 10.97, "е": 8.45, "а": 8.01, "и": 7.35, "н": 6.70, "т": 6.26, "с": 5.47, "р": 4.73,
    "в": 4.54, "л": 4.40, "к": 3.49, "м": 3.21, "д": 2.98, "п": 2.81, "у": 2.62, "я": 2.01,
    "ы": 1.90, "ь": 1.74, "г": 1.70, "з": 1.65, "б": 1.59, "ч": 1.44, "й": 1.21, "х": 0.97,
    "ж": 0.94, "ш": 0.73, "ю": 0.64, "ц": 0.48, "щ": 0.36, "э": 0.32, "ф": 0.26, "ъ": 0.04,
    "ё": 0.04,
}  # fmt: skip
_LETTER_SCORE = {letter: math.log(share / 100) for letter, share in LETTER_FREQUENCY.items()}
_SIGN_SCORE = math.log(0.005)  # №, «», dashes, a no-break space: fine in a right reading
_SIGNS = set("№«»—–…„“”‘’\u00a0")
_JUNK_SCORE = math.log(0.00001)  # box drawing, other alphabets, a byte the code page lacks
# Log-likelihood (nats) by which the content must favour another code page over the profile's;
# one letter never does, a short name does («Ли» in cp866 read as cp1251 is ~11 behind).
TIE_MARGIN = 3.0
SINGLE_BYTE = ("cp1251", "cp866")


@dataclass(frozen=True)
class Encoding:
    """The encoding a file is read in, and why (shown on the preview)."""

    name: str
    how: str

    @property
    def label(self) -> str:
        return ENCODING_LABELS.get(self.name, self.name)

    @property
    def choice(self) -> str:
        """The same encoding among ENCODING_CHOICES (a BOM is found again when reading)."""
        return "utf-8" if self.name == "utf-8-sig" else self.name


def known_codec(name: str) -> str:
    """A codec's canonical name (Windows-1251 -> cp1251, utf8 -> utf-8)."""
    try:
        return codecs.lookup((name or "").strip()).name
    except LookupError:
        raise ExtractError(
            f"Неизвестная кодировка «{name}»: укажите {', '.join(ENCODING_CHOICES)}"
        ) from None


def _reading_score(text: str) -> float:
    """How likely this reading of the file's non-ASCII bytes is Russian text."""
    score = 0.0
    for char in text:
        letter = _LETTER_SCORE.get(char.lower())
        if letter is not None:
            score += letter
        else:
            score += _SIGN_SCORE if char in _SIGNS else _JUNK_SCORE
    return score


def _plausible_utf8(text: str) -> bool:
    """Valid UTF-8 whose other characters are mostly Cyrillic, Latin or the usual signs (a few
    bytes of cp866 can form valid UTF-8 too, but of CJK or Samaritan characters)."""
    other = [c for c in text if c >= "\x80"]
    usual = sum(
        1 for c in other if "\u0400" <= c <= "\u052f" or "\u00c0" <= c <= "\u024f" or c in _SIGNS
    )
    return usual * 2 >= len(other)


def detect_encoding(data: bytes, declared: str = "", *, complete: bool = True) -> Encoding:
    """The encoding of a text extract from its content: a BOM; then a strict UTF-8 decode;
    then the Cyrillic letter statistics of the cp1251 and cp866 readings. The profile's
    encoding (`declared`) decides only what the content cannot: a file of Latin letters and
    digits, or readings closer than `TIE_MARGIN`. `complete`: `data` is the whole file (else a
    character cut at the end of the sample is no error).

    A detector of our own rather than charset-normalizer: restricted to these encodings, it read
    a cp866 file of one short name («Ли», «Ёж») as cp1251, and extracts of a few rows are common.
    """
    declared = known_codec(declared) if declared else ""
    if data.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", "по метке BOM в начале файла")
    if data.isascii():
        return Encoding(
            declared or "utf-8",
            "в файле нет русских букв" + (": кодировка из профиля" if declared else ""),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = not complete and exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
        text = data[: exc.start].decode("utf-8") if cut else None
    if text is not None and _plausible_utf8(text):
        return Encoding("utf-8", "по тексту файла (UTF-8)")
    letters = data.translate(None, bytes(range(128)))  # the ASCII part reads the same either way
    candidates = [*SINGLE_BYTE, *([declared] if declared and not declared.startswith("utf") and declared not in SINGLE_BYTE else [])]  # fmt: skip
    scores = {name: _reading_score(letters.decode(name, errors="replace")) for name in candidates}
    best = max(candidates, key=lambda name: scores[name])
    if declared in scores:
        rival = max(scores[name] for name in candidates if name != declared)
        if abs(rival - scores[declared]) < TIE_MARGIN:
            return Encoding(declared, "по тексту не различить: кодировка из профиля")
    return Encoding(best, "по буквам текста")
