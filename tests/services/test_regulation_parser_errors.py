"""Issue 14, items 7 and 12: whatever is wrong with a regulation file, the user reads a Russian
reason with its line and column, and nothing crashes (deep nesting made a RecursionError)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services.models import RegulationLoad
from services.regulations import RegulationFileError, build_plan, parse_change, read_document

# An English word of three letters or more outside «quotes» means an untranslated message
# (the names of the formats are names).
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def error_of(data: bytes, name: str = "x.yaml") -> str:
    with pytest.raises(RegulationFileError) as info:
        read_document(data, name)
    [message] = info.value.errors
    return message


def assert_russian(message: str):
    outside_quotes = re.sub(r"«[^»]*»|YAML|JSON", "", message)
    assert not ENGLISH.search(outside_quotes), message


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"regulation: kind: order\n", "строка 1, столбец 17: ошибка YAML: двоеточие «:» здесь недопустимо"),
        (b"services:\n  - code: asp\n   deadline_days: 5\n", "строка 3, столбец 4: ошибка YAML:"),
        (b"services:\n\t- code: asp\n", "строка 2, столбец 1: ошибка YAML: символ табуляции"),
        (b'title: "unclosed\n', "строка 1, столбец 8: ошибка YAML: кавычка не закрыта"),
        (b"services: [a, b\n", "строка 1, столбец 11: ошибка YAML: скобка «[» не закрыта"),
        (b"a: *nowhere\n", "строка 1, столбец 4: ошибка YAML: ссылка на неопределённый якорь «nowhere»"),
        (b"a: 1\n---\nb: 2\n", "ошибка YAML: в файле несколько документов"),
        (b"a: !!python/object:os.system 1\n", "ошибка YAML: неизвестный тег «tag:yaml.org,2002:python/object:os.system»"),
        (b"? [a, b]\n: 1\n", "ошибка YAML: ключ словаря не может быть списком или словарём"),
        (b"a: `cmd`\n", "строка 1, столбец 4: ошибка YAML: символ «`» не может начинать значение"),
        (b"effective_from: 2026-02-30\n", "строка 1, столбец 17: неверная дата «2026-02-30»"),
        (b"a: b\x01c\n", "строка 1, столбец 5: ошибка YAML: недопустимый символ с кодом U+0001"),
    ],
)  # fmt: skip
def test_yaml_errors_are_russian_with_line_and_column(data, expected):
    message = error_of(data)
    assert expected in message
    assert_russian(message)


@pytest.mark.parametrize(
    "data,expected",
    [
        (b'{"services": [}', "строка 1, столбец 15: ошибка JSON: ожидается значение"),
        (b'{"a": 1,}', "строка 1, столбец 9: ошибка JSON: ожидается имя поля в двойных кавычках"),
        (b'{"a" 1}', "строка 1, столбец 6: ошибка JSON: ожидается двоеточие «:»"),
        (b'{"a": 1 "b": 2}', "строка 1, столбец 9: ошибка JSON: ожидается запятая «,»"),
        (b'{"a": "x}', "строка 1, столбец 7: ошибка JSON: строка в кавычках не закрыта"),
        (b'{"a": 1}\n{"b": 2}', "строка 2, столбец 1: ошибка JSON: лишние данные после конца документа"),
        (b'{"a": "\\q"}', "строка 1, столбец 8: ошибка JSON: неверная последовательность после «\\»"),
    ],
)  # fmt: skip
def test_json_errors_are_russian_with_line_and_column(data, expected):
    message = error_of(data, "x.json")
    assert message.startswith(expected)
    assert_russian(message)


@pytest.mark.parametrize(
    "data,name",
    [
        (b"[" * 50_000 + b"]" * 50_000, "deep.json"),
        (b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "deep.json"),
        (b"[" * 50_000 + b"]" * 50_000, "deep.yaml"),
        (b"a: " + b"[" * 5_000 + b"]" * 5_000, "deep.yaml"),
        (b"".join(b" " * i + b"- \n" for i in range(0, 1000, 2)), "deep.yaml"),
    ],
)
def test_deep_nesting_is_refused_in_russian(data, name):
    message = error_of(data, name)
    assert "слишком глубокая вложенность" in message
    assert_russian(message)


def test_alias_bomb_is_refused(db):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    message = error_of("\n".join(lines).encode())
    assert "слишком много элементов" in message
    assert_russian(message)


@pytest.mark.django_db
def test_upload_of_a_nested_or_broken_file_says_why_in_russian(client, reg_admin, catalogue):
    client.force_login(reg_admin)
    for name, data, expected in [
        ("deep.json", b"[" * 500_000 + b"]" * 500_000, "слишком глубокая вложенность"),
        ("bad.yaml", b"regulation: kind: order\n", "двоеточие «:» здесь недопустимо"),
    ]:
        response = client.post(reverse("services:upload"), {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 200
        html = response.content.decode()
        assert expected in html and "mapping values" not in html
    assert not RegulationLoad.objects.filter(source="web").exists()


REVIEW_HEAD = "regulation: {kind: приказ, number: '1', date: 2026-11-01, title: Т}\n"


@pytest.mark.parametrize(
    "body,message",
    [
        (
            "effective_from: 2026-02-30\nservices: [{code: asp, deadline_days: 5}]\n",
            "столбец 17: неверная дата «2026-02-30»: такого дня нет в календаре",
        ),
        (
            "effective_from:\nservices: [{code: asp, deadline_days: 5}]\n",
            "services[0].effective_from: не указана дата вступления в силу",
        ),
        (
            "effective_from: 2026-12-01\nservices: [{code: asp, deadline_days: 40000}]\n",
            "services[0].deadline_days: слишком большое значение 40000 (не более 365)",
        ),
        (
            "effective_from: 2026-12-01\nservices: [{code: asp, short_title: '"
            + "я" * 201
            + "'}]\n",
            "services[0].short_title: слишком длинный текст (201 знаков, не более 200)",
        ),
    ],
)
def test_bad_values_in_a_regulation_file_are_errors_not_crashes(catalogue, body, message):
    with pytest.raises(RegulationFileError) as info:
        build_plan(parse_change((REVIEW_HEAD + body).encode()))
    assert any(message in error for error in info.value.errors), info.value.errors


@pytest.mark.parametrize("item", ["[citizen]", "{kind: citizen}"])
def test_a_list_or_a_mapping_among_the_applicants_is_an_error_not_a_crash(catalogue, item):
    body = f"effective_from: 2026-12-01\nservices: [{{code: asp, applicants: [{item}]}}]\n"
    with pytest.raises(RegulationFileError) as info:
        build_plan(parse_change((REVIEW_HEAD + body).encode()))
    assert any(
        "services[0].applicants[0]: недопустимое значение" in error for error in info.value.errors
    ), info.value.errors
