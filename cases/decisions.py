"""What a decision says about itself: the grounds of a refusal as the notice cites them (each
with its clause and the act that approved the regulation) and the decision in a few words for
the journal.

The grounds are read from the application's copy (`Application.refusal_grounds`), not from the
catalogue: the notice says what was decided, whatever the catalogue says later."""

from __future__ import annotations

import re

from onewindow.text import quoted

# «п. 2.9.1» as the catalogue writes a clause → «пункт 2.9.1» as a letter writes it.
_CLAUSE_WORDS = (
    (re.compile(r"^пп\.\s*", re.IGNORECASE), "подпункт "),
    (re.compile(r"^п\.\s*", re.IGNORECASE), "пункт "),
)

# «утверждённого приказом …»: the kind of the act in the instrumental case.
_INSTRUMENTAL = {
    "приказ": "приказом",
    "постановление": "постановлением",
    "распоряжение": "распоряжением",
    "закон": "законом",
}


def clause_words(clause: str) -> str:
    """«п. 2.9.1» → «пункт 2.9.1», «2.9.1» → «пункт 2.9.1»; anything else as written."""
    clause = (clause or "").strip()
    for pattern, words in _CLAUSE_WORDS:
        if pattern.match(clause):
            return pattern.sub(words, clause, count=1)
    if clause[:1].isdigit():
        return f"пункт {clause}"
    return clause


def _act_tail(regulation) -> tuple[str, str]:
    """(kind, the citation after the kind): «приказ», «Управления … от … № … «…» (в ред. …)»."""
    citation = regulation.citation
    kind = regulation.kind
    if citation.lower().startswith(kind):
        return kind, citation[len(kind) :].strip()
    return kind, citation


def regulation_genitive(regulation) -> str:
    """«административного регламента, утверждённого приказом Управления … от … № … «…»»."""
    if regulation is None:
        return "административного регламента"
    kind, tail = _act_tail(regulation)
    if kind == "административный регламент":
        return f"административного регламента {tail}"
    verb = _INSTRUMENTAL.get(kind)
    if verb is None:
        return f"административного регламента ({regulation.citation})"
    return f"административного регламента, утверждённого {verb} {tail}"


def ground_citation(ground: dict, regulation) -> str:
    """«пункт 2.9.1 административного регламента, утверждённого приказом …: «отсутствие права …»»."""
    act = ground.get("act") or regulation_genitive(regulation)
    return f"{clause_words(ground.get('clause', ''))} {act}: {quoted(ground.get('text', ''))}"


def clauses_display(grounds: list[dict]) -> str:
    """«п. 2.9.1, п. 2.9.2»: the clauses as the catalogue writes them."""
    return ", ".join(g.get("clause", "") for g in grounds if g.get("clause"))
