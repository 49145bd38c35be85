"""DRF serializers of the `reconciliation` app."""
