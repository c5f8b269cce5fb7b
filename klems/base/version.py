"""The project's version, as installed (recorded in every output's provenance)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("klems-digital-economy")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
