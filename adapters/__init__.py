"""Platform adapters: thin translation and rendering over core.service."""
