"""Default data of the reception for `manage.py load_catalogue`: benefit categories."""

from cases.models import BenefitCategory

CATEGORIES = [
    ("labour-veteran", "Ветеран труда"),
    ("labour-veteran-regional", "Ветеран труда Волгоградской области"),
    ("home-front-worker", "Труженик тыла"),
    ("rehabilitated", "Реабилитированное лицо"),
    ("repression-victim", "Лицо, признанное пострадавшим от политических репрессий"),
    (
        "stalingrad-child",
        "Находившийся в несовершеннолетнем возрасте в Сталинграде в период Сталинградской битвы",
    ),
    ("disabled-1", "Инвалид I группы"),
    ("disabled-2", "Инвалид II группы"),
    ("disabled-3", "Инвалид III группы"),
    ("disabled-child", "Ребёнок-инвалид"),
    ("large-family", "Многодетная семья"),
    ("low-income", "Малоимущая семья (одиноко проживающий гражданин)"),
    ("chernobyl", "Пострадавший вследствие катастрофы на Чернобыльской АЭС"),
    ("radiation", "Подвергшийся воздействию радиации (ПО «Маяк», Семипалатинский полигон)"),
    ("honorary-donor", "Почётный донор России (СССР)"),
    ("military-family", "Член семьи погибшего (умершего) военнослужащего"),
    ("single-parent", "Одинокий родитель"),
    ("student-family", "Студенческая семья"),
]


def load_defaults(write=print) -> dict:
    created = 0
    for code, title in CATEGORIES:
        _, was_created = BenefitCategory.objects.get_or_create(code=code, defaults={"title": title})
        created += was_created
    write(f"Льготные категории: всего {len(CATEGORIES)}, добавлено {created}")
    load_request_defaults(write)
    return {"created": created}


REQUEST_KINDS = [
    ("case-file-copy", "Копии документов личного дела", 10),
    ("benefit-info", "Сведения о назначенных мерах социальной поддержки", 5),
    ("stop-payment", "Сведения о прекращении выплат (при переезде)", 5),
    ("court", "Запрос суда, прокуратуры", 5),
    ("other", "Иной запрос", 30),
]

AGENCIES = [
    ("Социальный фонд России", 5),
    ("МВД России", 5),
    ("органы ЗАГС", 5),
    ("Росреестр", 5),
    ("Центр занятости населения", 5),
    ("ФКУ «ГБ МСЭ»", 5),
]


def load_request_defaults(write=print) -> None:
    from cases.models import Agency, RequestKind

    for code, title, days in REQUEST_KINDS:
        RequestKind.objects.get_or_create(code=code, defaults={"title": title, "due_days": days})
    for name, days in AGENCIES:
        Agency.objects.get_or_create(name=name, defaults={"response_days": days})
    write(f"Виды входящих запросов: {len(REQUEST_KINDS)}; ведомства: {Agency.objects.count()}")
