"""moshz: mosh, the mobile shell, as one Python file."""

__version__ = "0.1.0"
MOSH_VERSION = "1.4.0"
