"""Forms of the catalogue: parse and validate input, with Russian messages at the field."""

from django import forms

from services.regulations import MAX_FILE_BYTES

ALLOWED_SUFFIXES = (".yaml", ".yml", ".json")


class RegulationUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл изменений (YAML или JSON)",
        help_text="Формат описан в docs/regulations.md; не более 2 МБ, кодировка UTF-8.",
        error_messages={"required": "Выберите файл.", "empty": "Файл пуст."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(
                "Нужен файл .yaml, .yml или .json, получен «%(name)s».", params={"name": name}
            )
        if upload.size > MAX_FILE_BYTES:
            size = f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Файл слишком большой: {size} МБ (допустимо не более 2 МБ)."
            )
        return upload


class RegulationConfirmForm(forms.Form):
    allow_past = forms.BooleanField(label="Подтверждаю изменение задним числом", required=False)
