from django.urls import path
from rest_framework.routers import SimpleRouter

from cases.api import views

router = SimpleRouter()
router.register("applicants", views.ApplicantViewSet, basename="api-applicant")
router.register("case-files", views.CaseFileViewSet, basename="api-casefile")
router.register("applications", views.ApplicationViewSet, basename="api-application")
router.register("measures", views.EntitlementViewSet, basename="api-measure")
router.register("interagency-requests", views.InteragencyViewSet, basename="api-interagency")
router.register("incoming-requests", views.IncomingViewSet, basename="api-incoming")
router.register("queue/bookings", views.BookingViewSet, basename="api-booking")

urlpatterns = [
    path("status/", views.StatusView.as_view(), name="api-status"),
    path("queue/slots/", views.SlotsView.as_view(), name="api-queue-slots"),
    *router.urls,
]
