import django_filters

from cases.models import Application, Entitlement, IncomingRequest, InteragencyRequest


class ApplicationFilter(django_filters.FilterSet):
    service = django_filters.CharFilter(field_name="service__code", help_text="Код услуги")
    registered_from = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="gte", help_text="Зарегистрировано с"
    )
    registered_to = django_filters.DateFilter(
        field_name="registered_on", lookup_expr="lte", help_text="Зарегистрировано по"
    )
    deadline_from = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", help_text="Срок решения с"
    )
    deadline_to = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", help_text="Срок решения по"
    )

    class Meta:
        model = Application
        fields = ["status", "service", "specialist", "applicant"]


class EntitlementFilter(django_filters.FilterSet):
    service = django_filters.CharFilter(field_name="service__code", help_text="Код услуги")

    class Meta:
        model = Entitlement
        fields = ["status", "service", "applicant"]


class InteragencyFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(
        field_name="result", lookup_expr="exact", method="only_open", help_text="Только без ответа"
    )
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Срок ответа по"
    )

    class Meta:
        model = InteragencyRequest
        fields = ["application", "result"]

    def only_open(self, queryset, name, value):
        return queryset.filter(result="") if value else queryset.exclude(result="")


class IncomingFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(method="only_open", help_text="Только без ответа")
    due_to = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", help_text="Срок ответа по"
    )

    class Meta:
        model = IncomingRequest
        fields = ["assigned_to", "applicant"]

    def only_open(self, queryset, name, value):
        return queryset.filter(answered_on__isnull=value)
