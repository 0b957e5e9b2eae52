"""Keyvex: co-create interactive lead magnets with an AI, publish them, collect leads."""

__version__ = "0.1.0"
