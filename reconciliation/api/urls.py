from rest_framework.routers import SimpleRouter

from reconciliation.api import views

router = SimpleRouter()
router.register("extract-profiles", views.ProfileViewSet, basename="api-profile")
router.register("reconciliation-runs", views.RunViewSet, basename="api-run")
router.register("selections", views.SelectionViewSet, basename="api-selection")

urlpatterns = router.urls
