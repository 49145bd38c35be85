"""The electronic queue under /queue/: the kiosk, its tickets, the hall display, and the
specialist's window panel (shown on the counter page)."""

from django.urls import path

from cases.views import queue

app_name = "queue"

urlpatterns = [
    path("kiosk/", queue.kiosk, name="kiosk"),
    path("kiosk/status/", queue.kiosk_status, name="kiosk_status"),
    path("kiosk/priority/", queue.kiosk_priority, name="kiosk_priority"),
    path("kiosk/take/", queue.kiosk_take, name="kiosk_take"),
    path("kiosk/booking/", queue.kiosk_booking, name="kiosk_booking"),
    path("kiosk/tickets/<int:pk>/", queue.ticket_page, name="ticket"),
    path("kiosk/tickets/<int:pk>/ticket.pdf", queue.ticket_pdf, name="ticket_pdf"),
    path("display/", queue.display, name="display"),
    path("display/board/", queue.display_board, name="display_board"),
    path("bookings/", queue.bookings, name="bookings"),
    path("bookings/<int:pk>/cancel/", queue.booking_cancel, name="booking_cancel"),
    path("window/", queue.window_panel, name="window"),
    path("window/waiting/", queue.window_waiting, name="window_waiting"),
    path("window/<slug:action>/", queue.window_action, name="window_action"),
]
