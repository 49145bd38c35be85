from rest_framework.routers import SimpleRouter

from services.api.views import ServiceViewSet

router = SimpleRouter()
router.register("services", ServiceViewSet, basename="api-service")

urlpatterns = router.urls
