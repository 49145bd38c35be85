"""DRF serializers of the `cases` app."""
