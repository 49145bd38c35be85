"""Create a demo office and one user per role with known passwords (local runs only)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from onewindow import demo, roles
from onewindow.models import Office, User

DEMO_OFFICES = [
    {
        "code": "krasnooktyabrsky",
        "name": "ГКУ «Центр социальной защиты населения по Краснооктябрьскому району Волгограда»",
        "short_name": "ЦСЗН Краснооктябрьского района",
        "address": "400105, г. Волгоград, ул. Богунская, д. 4",
        "director_name": "Сергеева Ольга Викторовна",
        "phone": "(8442) 71-00-00",
        "email": "csznkr@example.ru",
        "ogrn": "1023403123457",
        "inn": "3443010010",
        "kpp": "344301001",
        "superior_body": "Комитет социальной защиты населения Волгоградской области",
    },
    {
        "code": "tsentralny",
        "name": "ГКУ «Центр социальной защиты населения по Центральному району Волгограда»",
        "short_name": "ЦСЗН Центрального района",
        "address": "400066, г. Волгоград, ул. Мира, д. 10",
        "director_name": "Кузнецов Андрей Павлович",
        "phone": "(8442) 38-00-00",
        "email": "csznc@example.ru",
        "ogrn": "1023403198763",
        "inn": "3444010020",
        "kpp": "344401001",
        "superior_body": "Комитет социальной защиты населения Волгоградской области",
    },
]

# username, password, role, last, first, middle, position, office code
DEMO_USERS = [
    (
        "specialist",
        "specialist-demo",
        roles.SPECIALIST,
        "Петрова",
        "Анна",
        "Сергеевна",
        "специалист сектора «Одно окно»",
        "krasnooktyabrsky",
    ),
    (
        "chief",
        "chief-demo",
        roles.CHIEF,
        "Смирнова",
        "Елена",
        "Викторовна",
        "главный специалист сектора «Одно окно»",
        "krasnooktyabrsky",
    ),
    (
        "archivist",
        "archivist-demo",
        roles.ARCHIVIST,
        "Волкова",
        "Ирина",
        "Петровна",
        "архивариус",
        "krasnooktyabrsky",
    ),
    (
        "admin",
        "admin-demo",
        roles.ADMIN,
        "Орлов",
        "Дмитрий",
        "Игоревич",
        "администратор регламентов",
        "krasnooktyabrsky",
    ),
    (
        "director",
        "director-demo",
        roles.DIRECTOR,
        "Сергеева",
        "Ольга",
        "Викторовна",
        "директор",
        "krasnooktyabrsky",
    ),
    (
        "kiosk",
        "kiosk-demo",
        roles.KIOSK,
        "Киоск",
        "зала",
        "",
        "киоск электронной очереди",
        "krasnooktyabrsky",
    ),
    (
        "display",
        "display-demo",
        roles.DISPLAY,
        "Табло",
        "зала",
        "",
        "табло электронной очереди",
        "krasnooktyabrsky",
    ),
    (
        "specialist2",
        "specialist2-demo",
        roles.SPECIALIST,
        "Никитина",
        "Мария",
        "Олеговна",
        "специалист сектора «Одно окно»",
        "tsentralny",
    ),
]


class Command(BaseCommand):
    help = "Создаёт демонстрационное учреждение и по одному пользователю на каждую роль."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="выполнить и при DEBUG=0 (демо-пароли известны всем: не для рабочей системы)",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Отказано: DEBUG выключен, это похоже на рабочую систему. Демо-пользователи "
                "с известными паролями создаются только при DEBUG=1 или с --force."
            )
        offices = {}
        for data in DEMO_OFFICES:
            office, _ = Office.objects.update_or_create(code=data["code"], defaults=data)
            offices[office.code] = office
        rows = []
        for username, password, role, last, first, middle, position, office_code in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.last_name, user.first_name, user.middle_name = last, first, middle
            user.position = position
            user.office = offices[office_code]
            user.is_active = True
            user.is_staff = role == roles.ADMIN
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            rows.append((role, username, password, offices[office_code].short_name))
        demo.fill(offices)  # what the apps add (e.g. the archive's rooms and boxes)
        self.stdout.write("Демо-пользователи (логин / пароль):")
        for role, username, password, office in rows:
            self.stdout.write(f"  {role:<20} {username:<12} / {password:<18} {office}")
