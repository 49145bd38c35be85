"""DRF views of the `reconciliation` app: a thin layer over `reconciliation.services`, scoped with `.for_user`."""
