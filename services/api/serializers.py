"""DRF serializers of the `services` app."""
