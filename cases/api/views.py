"""DRF views of the `cases` app: a thin layer over `cases.services`, scoped with `.for_user`."""
