"""The application's printed documents (the receipt), for the screens and the API alike."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from cases.models import Application
from onewindow.names import decline
from onewindow.pdf import render_pdf
from onewindow.qr import qr_data_uri
from onewindow.text import quoted
from services.models import days_display


def document_names(application: Application) -> dict:
    applicant = application.applicant
    return {
        "name_genitive": decline(
            applicant.last_name,
            applicant.first_name,
            applicant.middle_name,
            applicant.sex,
            "genitive",
        ),
        "name_dative": decline(
            applicant.last_name,
            applicant.first_name,
            applicant.middle_name,
            applicant.sex,
            "dative",
        ),
    }


def office_obtains(doc) -> bool:
    """The office requests this document itself (210-ФЗ ст. 7): it is never «не представлен» by
    the applicant, however the line was marked (lines of older checklists included)."""
    rd = doc.required_document
    return doc.status in ("requested", "obtained") or (
        doc.status == "missing" and (doc.document_type.interagency or bool(rd and rd.interagency))
    )


def missing_lines(missing: list) -> list[dict]:
    """What was not brought, a «one of» group as one line: «Один из документов (документ,
    удостоверяющий личность): «…» или «…»»."""
    lines: list[dict] = []
    groups: dict[int, dict] = {}
    for doc in missing:
        rd = doc.required_document
        if rd is None or rd.group is None:
            lines.append({"title": doc.title, "required": doc.required})
        elif rd.group in groups:
            groups[rd.group]["members"].append(doc.title)
        else:
            groups[rd.group] = {"members": [doc.title], "required": doc.required,
                                "group_title": rd.group_title}  # fmt: skip
            lines.append(groups[rd.group])
    for group in groups.values():
        label = "Один из документов" + (
            f" ({group['group_title']})" if group["group_title"] else ""
        )
        group["title"] = f"{label}: " + " или ".join(quoted(t) for t in group["members"])
    return lines


def _deadline_text(application: Application, requests_sent: bool) -> str:
    """The decision's deadline as the receipt states it: «до 08.12.2026 (10 рабочих дней со дня
    регистрации заявления)», «в день обращения», or counted from the last interagency answer."""
    version = application.service_version
    if version.deadline_kind == "same_day":
        return f"в день обращения — {application.deadline:%d.%m.%Y}"
    if version.counts_from_last_answer and requests_sent:
        return version.deadline_display
    return (
        f"до {application.deadline:%d.%m.%Y} "
        f"({days_display(version.deadline_days, version.deadline_kind)} со дня регистрации заявления)"
    )


def public_base_url(request=None) -> str:
    """Where citizens' phones reach the installation: PUBLIC_URL, else the address the document
    is printed from."""
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL
    return request.build_absolute_uri("/").rstrip("/") if request is not None else ""


def status_page_url(application: Application, request=None) -> str:
    """The public status page with the receipt's number and code filled in: the receipt's QR
    code. The counter's search opens the application when this is scanned into it."""
    query = urlencode({"n": application.number_display, "c": application.status_code}, safe="/")
    return f"{public_base_url(request)}{reverse('status')}?{query}"


def receipt_pdf(application: Application, request=None) -> bytes:
    """The receipt (расписка) of a registered application: what was brought, what the office
    requests itself, what is missing, the deadline, and how to learn the state without coming:
    the public page's address, the status code, and the QR code of both."""
    documents = list(application.documents.select_related("required_document", "document_type"))
    brought = [d for d in documents if d.status == "brought"]
    context = {
        "application": application,
        "office": application.office,
        "brought": brought,
        # a per-member line counts its documents (one per child, adult member, …)
        "brought_count": sum(d.quantity for d in brought),
        "brought_copies": sum(d.copies * d.quantity for d in brought),
        "deadline_text": _deadline_text(application, any(office_obtains(d) for d in documents)),
        "requested": [d for d in documents if office_obtains(d)],
        "accepted_by": application.accepted_by,
        "missing": missing_lines(
            [d for d in documents if d.status == "missing" and not office_obtains(d)]
        ),
        "qr": qr_data_uri(status_page_url(application, request)),
        "status_page": public_base_url(request) + reverse("status"),
        **document_names(application),
    }
    return render_pdf("cases/receipt_pdf.html", context)


def receipt_file_name(application: Application) -> str:
    return f"Расписка {application.reg_number}-{application.reg_year}.pdf"
