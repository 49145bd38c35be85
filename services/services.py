"""Every write of the `services` app goes through a function here: `do_x(..., *, actor)` in one
transaction, writing history and queueing side effects on commit. Views, the API, management
commands and Celery tasks call these functions and never write models directly."""
