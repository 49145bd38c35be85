"""What every endpoint over office-scoped records shares: the queryset of the user's office,
another office's id answered 404 (and logged as refused), every read of a person's data in the
access log with the user the token belongs to, PDF downloads beside JSON."""

from __future__ import annotations

from rest_framework import mixins, renderers, viewsets

from onewindow.audit import get_for_user_or_404, log_access, shown


class PdfRenderer(renderers.BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ScopedViewSet(viewsets.GenericViewSet):
    """`read_event`: the access-log event of a read (None: the records hold no personal data);
    `scoped_queryset()`: the model's records, before the office scope."""

    read_event: str | None = None
    list_event: str | None = None
    lookup_value_regex = r"[0-9]{1,18}"  # ids: another address is the API's JSON 404

    def scoped_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator
            return self.scoped_queryset().none()
        return self.scoped_queryset().for_user(self.request.user)

    def get_object(self, *, event: str | bool | None = True):
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = get_for_user_or_404(
            self.request._request,
            self.scoped_queryset(),
            event=self.read_event if event is True else (event or None),
            **lookup,
        )
        self.check_object_permissions(self.request, obj)
        return obj

    def log_list(self, records, what: str = "", *, event: str = "") -> None:
        records = list(records)
        if (event or self.list_event) and records:
            log_access(
                self.request._request,
                event=event or self.list_event,
                subject_repr=(what or self.request.get_full_path())[:300],
                detail=shown(records),
            )

    def finalize_response(self, request, response, *args, **kwargs):
        # an error of a PDF endpoint is JSON like every other error
        if getattr(response, "status_code", 200) >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), PdfRenderer
        ):
            request.accepted_renderer = renderers.JSONRenderer()
            request.accepted_media_type = "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


class LoggedListMixin(mixins.ListModelMixin):
    """A list of records of people: filtered, paginated, and the page written to the access log
    (`list_event`, in the words of `list_what`; `logged(page)` names whose records they are)."""

    list_what = ""

    def logged(self, page):
        return page

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.log_list(self.logged(page), self.list_what)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
