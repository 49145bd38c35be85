"""DRF views of the `archive` app: a thin layer over `archive.services`, scoped with `.for_user`."""
