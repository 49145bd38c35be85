from rest_framework.routers import SimpleRouter

from archive.api import views

router = SimpleRouter()
router.register("archive/files", views.ArchivedFileViewSet, basename="api-archived-file")
router.register("archive/issues", views.IssueViewSet, basename="api-file-issue")

urlpatterns = router.urls
