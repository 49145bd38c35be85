"""Reference data of the reception in the admin site. Applicants, applications and measures
are edited only through the counter (the service layer), never here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import BenefitCategory


@admin.register(BenefitCategory)
class BenefitCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "is_active"]
    search_fields = ["code", "title"]
