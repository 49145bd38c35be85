"""Destruction acts: drafting, agreement, approval and destruction, the acts' PDFs, the
personal-data act and its event log, and the home page's notices of acts waiting on a step."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from archive import documents, services
from archive.forms import ExecuteForm
from archive.models import DestructionAct
from onewindow.audit import get_for_user_or_404, log_access
from onewindow.forms import errors_text
from onewindow.jobs import enqueue_job
from onewindow.pdf import pdf_response, render_pdf
from onewindow.text import counted
from onewindow.xlsx import xlsx_response

BACKGROUND_ROWS = 1000  # a destruction act longer than this is rendered by a worker


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def acts(request):
    today = timezone.localdate()
    if request.method == "POST":
        try:
            act_date = forms.DateField().clean(request.POST.get("act_date") or today)
            act = services.draft_act(actor=request.user, act_date=act_date)
        except forms.ValidationError:
            messages.error(request, "Неверная дата акта.")
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Составлен проект акта № {act.number}: {counted(act.items.count(), 'дело,дела,дел')}.",
            )
            return redirect("archive:act", pk=act.pk)
        return redirect("archive:acts")
    eligible = services.eligible_files(request.user.office, today).count()
    acts = DestructionAct.objects.for_user(request.user)
    status = request.GET.get("status", "")
    if status in DestructionAct.Status.values:  # the dashboard's «ждут согласования / утверждения»
        acts = acts.filter(status=status)
    office = request.GET.get("office", "")
    if office.isdigit() and request.user.sees_all_offices:
        acts = acts.filter(office_id=int(office))
    return render(request, "archive/acts.html", {"acts": acts[:50], "eligible": eligible, "today": today})  # fmt: skip


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def act_detail(request, pk: int):
    act = get_for_user_or_404(
        request,
        DestructionAct.objects.select_related(
            "compiled_by", "agreed_by", "approved_by", "executed_by"
        ),
        pk=pk,
    )
    if request.method == "POST":
        step = request.POST.get("step")
        done = {
            "agree": f"Акт № {act.number} согласован экспертной комиссией.",
            "approve": f"Акт № {act.number} утверждён.",
            "execute": f"Уничтожение дел по акту № {act.number} отмечено, персональные данные удалены.",
        }.get(step, "")
        try:
            if step == "agree":
                protocol_date = forms.DateField(required=False).clean(
                    request.POST.get("protocol_date")
                )
                services.agree_act(act, actor=request.user, protocol_number=request.POST.get("protocol_number", ""),
                                   protocol_date=protocol_date)  # fmt: skip
            elif step == "approve":
                services.approve_act(act, actor=request.user)
            elif step == "execute":
                form = ExecuteForm(request.POST)
                if not form.is_valid():
                    raise services.ArchiveError(errors_text(form))
                if request.POST.get("confirm") != "1":
                    raise services.ArchiveError(
                        "Подтвердите, что дела уничтожены: действие необратимо."
                    )
                services.execute_act(act, actor=request.user, record=form.cleaned_data)
            else:
                raise services.ArchiveError("Неизвестное действие.")
        except forms.ValidationError:
            messages.error(request, "Неверная дата протокола.")
        except services.ArchiveError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
        return redirect("archive:act", pk=pk)
    years = sorted({item.year for item in act.items.all()})
    return render(
        request,
        "archive/act.html",
        {"act": act, "items": act.items.all()[:200], "count": act.items.count(), "years": years,
         "execute_form": ExecuteForm(initial={"destroyed_on": timezone.localdate()})},
    )  # fmt: skip


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
def act_pdf(request, pk: int):
    act = get_for_user_or_404(
        request,
        DestructionAct.objects.select_related("office", "compiled_by", "approved_by"),
        pk=pk,
    )
    log_access(request, event="print_document", subject=act, subject_repr=str(act))
    count = act.items.count()
    if count > BACKGROUND_ROWS:  # thousands of rows: rendered by a worker, the page does not wait
        job = enqueue_job("archive.render_act", actor=request.user, params={"act": act.pk})
        messages.info(
            request,
            f"Акт из {count} дел формируется в фоне; ссылка появится, когда он будет готов.",
        )
        return redirect("job_status", pk=job.pk)
    pdf = documents.destruction_act_pdf(act)
    return pdf_response(pdf, f"Акт о выделении к уничтожению {act.number}.pdf")


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
def pd_act_pdf(request, pk: int):
    act = get_for_user_or_404(request, DestructionAct.objects.select_related("office"), pk=pk)
    if not hasattr(act, "pd_destruction"):
        messages.error(
            request, "Акт об уничтожении персональных данных составляется после уничтожения дел."
        )
        return redirect("archive:act", pk=pk)
    pd = act.pd_destruction
    log_access(request, event="print_document", subject=act,
               detail=f"акт об уничтожении персональных данных, субъектов: {len(pd.subjects)}")  # fmt: skip
    pdf = render_pdf("archive/pd_act_pdf.html", _pd_context(act, pd))
    return pdf_response(pdf, f"Акт об уничтожении ПД {act.number}.pdf")


def _pd_context(act, pd) -> dict:
    return {
        "act": act, "pd": pd, "office": act.office, "destroyer": pd.destroyed_by,
        "anonymised": sum(1 for subject in pd.subjects if subject.get("anonymised")),
        "backup_days": settings.BACKUP_RETENTION_DAYS,
    }  # fmt: skip


PD_LOG_COLUMNS = ["№ п/п", "Дата и время (местное)", "Событие", "Субъект персональных данных",
                  "Уничтоженные категории данных", "Кто уничтожил", "Учётная запись", "Причина"]  # fmt: skip


@login_required
@permission_required("archive.view_destructionact", raise_exception=True)
def pd_event_log(request, pk: int):
    """The event-log export attached to the personal-data destruction act (приказ РКН № 179):
    its rows are the destruction events, one per subject, in local time. PDF, or XLSX with
    ?format=xlsx."""
    act = get_for_user_or_404(request, DestructionAct.objects.select_related("office"), pk=pk)
    if not hasattr(act, "pd_destruction"):
        messages.error(request, "Журнал событий уничтожения появляется после уничтожения дел.")
        return redirect("archive:act", pk=pk)
    pd = act.pd_destruction
    log_access(request, event="export", subject=act,
               detail=f"выгрузка журнала событий уничтожения ПД, записей: {len(pd.event_log)}")  # fmt: skip
    if request.GET.get("format") == "xlsx":
        rows = [
            [n, e.get("at", ""), f"{e.get('event', '')}: {e.get('what', '')}".strip(": "),
             ", ".join(p for p in (e.get("subject", ""), e.get("birth_date", ""), e.get("snils", "")) if p),
             e.get("categories", ""), e.get("who", ""), e.get("username", ""), e.get("reason", "")]
            for n, e in enumerate(pd.event_log, start=1)
        ]  # fmt: skip
        number = pd.number or act.number
        return xlsx_response(
            f"pd-event-log-{number}.xlsx", "Журнал событий", rows, columns=PD_LOG_COLUMNS,
            caption=f"Выгрузка журнала событий к акту об уничтожении персональных данных № {number} "
            f"от {pd.destroyed_on:%d.%m.%Y}, {act.office.name}",
        )  # fmt: skip
    pdf = render_pdf("archive/pd_event_log_pdf.html", _pd_context(act, pd))
    return pdf_response(pdf, f"Журнал событий уничтожения ПД {act.number}.pdf")


# (permission, state the act waits in, what the home page says)
ACT_STEPS = [
    ("archive.agree_destructionact", DestructionAct.Status.DRAFT,
     "Акты о выделении дел к уничтожению ждут согласования экспертной комиссии"),
    ("archive.approve_destructionact", DestructionAct.Status.AGREED,
     "Акты о выделении дел к уничтожению ждут утверждения"),
    ("archive.execute_destructionact", DestructionAct.Status.APPROVED,
     "Утверждённые акты ждут уничтожения дел"),
]  # fmt: skip


def home_notices(user) -> list[dict]:
    """The home page tells each role of the destruction acts waiting on its step."""
    notices = []
    for perm, status, text in ACT_STEPS:
        if not user.has_perm(perm):
            continue
        waiting = DestructionAct.objects.for_user(user).filter(status=status).count()
        if waiting:
            notices.append({"text": f"{text}: {waiting}", "url": reverse("archive:acts")})
    return notices
