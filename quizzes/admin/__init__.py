from . import assessment, practice  # noqa: F401
