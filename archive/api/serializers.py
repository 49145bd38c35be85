"""DRF serializers of the `archive` app."""
