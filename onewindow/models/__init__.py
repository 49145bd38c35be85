"""Shared models: offices (district centres), users with roles, the personal-data access log,
background jobs, the calendar's overrides, numbering, handovers, assignments and reports."""

from onewindow.models.access import (  # noqa: F401
    AccessLog,
    AccessLogChain,
    AccessLogQuerySet,
)
from onewindow.models.api import (  # noqa: F401
    ApiToken,
    IdempotentRequest,
)
from onewindow.models.base import (  # noqa: F401
    Office,
    OfficeScopedQuerySet,
    User,
)
from onewindow.models.jobs import (  # noqa: F401
    CalendarOverride,
    Job,
    JobQuerySet,
    Sequence,
)
from onewindow.models.reports import (  # noqa: F401
    Report,
    ReportQuerySet,
)
from onewindow.models.work import (  # noqa: F401
    Assignment,
    AssignmentQuerySet,
    Handover,
    HandoverItem,
)
