"""DRF views of the `services` app: a thin layer over `services.services`, scoped with `.for_user`."""
