"""Reference data of the reception in the admin site. Applicants, applications and measures
are edited only through the counter (the service layer), never here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import (
    BenefitCategory,
    Booking,
    OpeningHours,
    PriorityCategory,
    ServiceGroup,
    Ticket,
    Window,
)


@admin.register(BenefitCategory)
class BenefitCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "is_active"]
    search_fields = ["code", "title"]


# --- The electronic queue's reference data ------------------------------------------------------


@admin.register(ServiceGroup)
class ServiceGroupAdmin(SimpleHistoryAdmin):
    list_display = ["letter", "title", "service_minutes", "slot_minutes", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["title", "letter"]
    filter_horizontal = ["services"]


@admin.register(PriorityCategory)
class PriorityCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "basis", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["title"]


@admin.register(Window)
class WindowAdmin(SimpleHistoryAdmin):
    list_display = ["number", "office", "label", "specialist", "specialist_on", "is_active"]
    list_filter = ["office", "is_active"]
    filter_horizontal = ["groups"]
    autocomplete_fields = ["specialist"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(SimpleHistoryAdmin):
    list_display = ["office", "weekday", "opens_at", "closes_at", "last_ticket_minutes"]
    list_filter = ["office"]


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    """Bookings are read here (with their history), never written: the bookings page, the API
    and the kiosk write them through `cases.services.queue`. The visitor's name and phone are
    personal data: shown to the admin of the installation only."""

    list_display = ["code", "office", "group", "starts_at", "status", "booked_by"]
    list_filter = ["office", "day", "status", "group"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(SimpleHistoryAdmin):
    """Tickets are read here (with their history), never written: the kiosk and the windows
    write them through `cases.services.queue`."""

    list_display = ["__str__", "office", "day", "status", "window", "issued_at", "called_at",
                    "finished_at"]  # fmt: skip
    list_filter = ["office", "day", "status", "group"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
