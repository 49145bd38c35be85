from django.utils.functional import SimpleLazyObject

from onewindow import navigation


def navigation_items(request):
    """The sections with their badges, counted only when a template draws them: an htmx partial
    (a keystroke of the counter's search) does not, and costs no query for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": SimpleLazyObject(lambda: navigation.items_for(user, request.path))}
