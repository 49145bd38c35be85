import pytest

from onewindow.text import plural


@pytest.mark.parametrize(
    ("number", "noun"),
    [(1, "дело"), (2, "дела"), (4, "дела"), (5, "дел"), (11, "дел"), (12, "дел"), (14, "дел"),
     (21, "дело"), (22, "дела"), (111, "дел"), (112, "дел"), (120, "дел"), (0, "дел"), (101, "дело")],
)  # fmt: skip
def test_the_noun_agrees_with_the_number(number, noun):
    assert plural(number, "дело,дела,дел") == noun
