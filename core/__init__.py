"""perkcheck core: the platform-free classifier and conversation logic."""

__version__ = "0.1.0"
