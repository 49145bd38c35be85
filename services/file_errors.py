"""Russian reasons for what the YAML and JSON parsers say about a regulation file.

The parsers speak English («mapping values are not allowed here»); the regulations
administrator reads Russian with the line and column. A message the table does not know
still reads Russian (a general reason at its place), never the parser's words. Deep nesting
and alias bombs are refused too: a regulation change is never more than a few levels deep.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import yaml

MAX_DEPTH = 20  # a change: top -> services -> service -> documents -> document -> field
MAX_NODES = 200_000

DEEP = (
    "слишком глубокая вложенность списков и словарей (более {depth} уровней): "
    "описание изменения так не устроено — проверьте файл"
)
TOO_MANY = (
    "слишком много элементов (более {nodes:,}) — вероятно, ссылки «*якорь» размножают данные; "
    "в описании изменения ссылки не нужны"
)

# (pattern of the parser's problem, Russian reason); `{0}`, `{1}` are the pattern's groups.
YAML_PROBLEMS = [
    (r"mapping values are not allowed here",
     "двоеточие «:» здесь недопустимо — значение с двоеточием возьмите в кавычки, вложенные поля "
     "перенесите на новую строку с отступом"),
    (r"found character '\\t' that cannot start any token|found a tab character",
     "символ табуляции — отступы в YAML делаются только пробелами"),
    (r"found character '(.+)' that cannot start any token",
     "символ «{0}» не может начинать значение — возьмите значение в кавычки"),
    (r"expected <block end>, but found|expected <block mapping end>",
     "неверный отступ — строка не на уровне соседних полей или элементов списка"),
    (r"expected ',' or '\]', but got", "в списке […] ожидается «,» или «]»"),
    (r"expected ',' or '\}', but got", "в словаре {{…}} ожидается «,» или «}}»"),
    (r"found undefined alias '(.+)'", "ссылка на неопределённый якорь «{0}»"),
    (r"could not determine a constructor for the tag '(.+)'",
     "неизвестный тег «{0}» — теги вида «!…» в файле не допускаются"),
    (r"found unhashable key|found unacceptable key", "ключ словаря не может быть списком или словарём"),
    (r"found unknown escape character '(.+)'",
     "неизвестная последовательность «\\{0}» в строке в двойных кавычках — обратную косую черту "
     "удвойте или возьмите строку в одинарные кавычки"),
    (r"expected alphabetic or numeric character",
     "после «&» или «*» ожидается имя якоря — значение с этими символами возьмите в кавычки"),
    (r"could not find expected ':'", "после ключа не найдено двоеточие «:»"),
    (r"expected a mapping or list of mappings for merging",
     "ключ «<<» ожидает словарь или список словарей"),
    (r"found duplicate (?:YAML|TAG) directive", "повторная директива «%…»"),
    (r"found incompatible YAML document", "неподдерживаемая версия YAML"),
    (r"expected '<document start>', but found",
     "после конца документа лишние данные — проверьте отступы"),
    (r"expected the node content, but found '(.+)'", "ожидается значение, найдено «{0}»"),
    (r"found unexpected end of stream", "файл неожиданно закончился"),
    (r"found unexpected ':'", "неожиданное двоеточие «:» — возьмите значение в кавычки"),
]  # fmt: skip
YAML_PROBLEMS = [(re.compile(pattern), text) for pattern, text in YAML_PROBLEMS]

JSON_PROBLEMS = [
    ("Expecting value", "ожидается значение"),
    ("Expecting property name enclosed in double quotes",
     "ожидается имя поля в двойных кавычках (нет ли лишней запятой?)"),
    ("Expecting ':' delimiter", "ожидается двоеточие «:»"),
    ("Expecting ',' delimiter", "ожидается запятая «,»"),
    ("Unterminated string starting at", "строка в кавычках не закрыта"),
    ("Invalid control character at",
     "управляющий символ внутри строки (перевод строки или табуляция в кавычках)"),
    ("Invalid \\uXXXX escape", "неверная последовательность «\\uXXXX»"),
    ("Invalid \\escape",
     "неверная последовательность после «\\» — обратную косую черту в строке удвойте"),
    ("Extra data", "лишние данные после конца документа"),
    ("Illegal trailing comma", "лишняя запятая перед закрывающей скобкой"),
]  # fmt: skip


def _at(line: int, column: int) -> str:
    return f"строка {line}, столбец {column}: "


def json_error(exc: json.JSONDecodeError) -> str:
    reason = next(
        (text for start, text in JSON_PROBLEMS if exc.msg.startswith(start)), "неверная разметка"
    )
    return f"{_at(exc.lineno, exc.colno)}ошибка JSON: {reason}"


def yaml_error(exc: yaml.YAMLError, text: str) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_column(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return f"{_at(line, column)}ошибка YAML: недопустимый символ с кодом U+{code:04X}"
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None)
    if "expected a single document" in context:
        reason = "в файле несколько документов (разделитель «---») — нужен один"
    elif anchor := re.search(r"found duplicate anchor '(.+)'", context):
        reason = f"якорь «{anchor.group(1)}» определён дважды"
    elif "quoted scalar" in context and "end of stream" in problem:
        reason, mark = "кавычка не закрыта", exc.context_mark or mark
    elif "flow" in context and "<stream end>" in problem:  # at the bracket left open
        bracket = "[" if "sequence" in context else "{"
        reason, mark = f"скобка «{bracket}» не закрыта", exc.context_mark or mark
    else:
        reason = "неверная разметка — проверьте отступы, двоеточия и кавычки"
        for pattern, russian in YAML_PROBLEMS:
            if found := pattern.search(problem):
                reason = russian.format(*found.groups())
                break
    where = _at(mark.line + 1, mark.column + 1) if mark else ""
    return f"{where}ошибка YAML: {reason}"


def bad_date(text: str) -> str:
    """YAML reads 2026-02-30 as a date and Python refuses it: find it in the text."""
    for found in re.finditer(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])", text):
        try:
            datetime.date(*(int(part) for part in found.groups()))
        except ValueError:
            line, column = _line_column(text, found.start())
            return (
                f"{_at(line, column)}неверная дата «{found.group(0)}»: такого дня нет в календаре"
            )
    return "неверная дата или время в файле: такого дня нет в календаре"


def shape_error(document: Any) -> str | None:
    """Depth and size of what was read, without recursion (a shared alias is counted each time
    it is reached, as every later step would walk it)."""
    stack, nodes = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return TOO_MANY.format(nodes=MAX_NODES).replace(",", " ")
        if depth > MAX_DEPTH:
            return DEEP.format(depth=MAX_DEPTH)
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple):
            stack.extend((item, depth + 1) for item in value)
    return None


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1
