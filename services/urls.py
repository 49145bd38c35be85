from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("regulations/", views.load_list, name="loads"),
    path("regulations/upload/", views.upload_regulation, name="upload"),
    path("regulations/<int:pk>/", views.load_detail, name="load"),
    path("<slug:code>/", views.service_detail, name="detail"),
    path("<slug:code>/memo.pdf", views.service_memo, name="memo"),
]
