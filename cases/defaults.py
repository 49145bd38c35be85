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
    return {"created": created}
