"""The error of an extract file that cannot be read at all (its reason in Russian)."""


class ExtractError(Exception):
    """The file as a whole cannot be read."""
