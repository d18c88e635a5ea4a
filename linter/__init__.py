"""acrlint: a linter for Azure Container Registry configuration."""

__version__ = "0.1.0"
