"""kolscope: open, self-hostable KOL marketing platform."""

__version__ = "0.1.0"
