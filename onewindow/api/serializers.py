"""The serializers' common rules: unknown fields refused (not ignored), СНИЛС in any formatting."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from onewindow.identity import format_snils, snils_digits, snils_error


class StrictMixin:
    """A field the endpoint does not accept is an error at that field: a client's typo in a
    name must not silently drop the value it meant to send."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [
                            ErrorDetail(
                                "Неизвестное поле: его здесь не принимают.", code="unknown_field"
                            )
                        ]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictMixin, serializers.ModelSerializer):
    pass


class DateTimeField(serializers.DateTimeField):
    """DRF's, without its crash at the ends of the calendar: a moment that cannot be placed in
    the time zone («0001-01-01T00:00:00» local is before year 1 in UTC) raises OverflowError in
    DRF's own check; here it is the field's «out of range» error."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class SnilsField(serializers.CharField):
    """Accepted as typed («112-233-445 95», «11223344595»), checked with its check number, kept
    and returned as 11 digits; `snils_display` fields show the formatted number."""

    default_error_messages = {"snils": "{message}"}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "СНИЛС: 11 цифр, с дефисами и пробелом или без них")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return ""
        error = snils_error(value)
        if error:
            self.fail("snils", message=error[0].upper() + error[1:] + ".")
        return snils_digits(value)

    def to_representation(self, value):
        return snils_digits(value)


def snils_display(value: str) -> str:
    return format_snils(value)
