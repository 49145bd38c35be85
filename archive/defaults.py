"""Default retention rules for `manage.py load_catalogue` (the admin maintains them)."""

from archive.models import RetentionRule

# The current list (2019 Перечень; the 2010 one, приказ Минкультуры № 558, is repealed). The
# header of a destruction act cites the list, each line its article: the admin corrects the
# article in the admin site («Правила хранения») where the office's nomenclature cites another.
PERECHEN_2019 = (
    "Перечень типовых управленческих архивных документов (приказ Росархива от 20.12.2019 № 236)"
)
BENEFIT_RECIPIENT_BASIS = f"{PERECHEN_2019}, ст. 477"
# What the rule said before: a data migration moves rules still equal to it to the 2019 list.
REPEALED_BENEFIT_RECIPIENT_BASIS = (
    "Перечень типовых управленческих архивных документов (приказ Минкультуры России от "
    "25.08.2010 № 558), ст. 900"
)

RULES = [
    {"code": "benefit-recipient", "title": "Личные дела получателей пособий и мер социальной поддержки",
     "years": 5, "permanent": False, "event": "deregistration", "nomenclature_index": "07-15",
     "legal_basis": BENEFIT_RECIPIENT_BASIS},
    {"code": "rehabilitated", "title": "Личные дела реабилитированных лиц и лиц, признанных пострадавшими от политических репрессий",
     "years": None, "permanent": True, "event": "deregistration", "nomenclature_index": "07-16",
     "legal_basis": "Закон РФ от 18.10.1991 № 1761-1 «О реабилитации жертв политических репрессий»; хранятся постоянно"},
]  # fmt: skip


def load_defaults(write=print) -> dict:
    created = 0
    for data in RULES:
        _, was_created = RetentionRule.objects.get_or_create(code=data["code"], defaults=data)
        created += was_created
    write(f"Правила хранения: {len(RULES)}, добавлено {created}")
    return {"created": created}
