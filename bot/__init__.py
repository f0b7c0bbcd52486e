"""perkcheck runtime: settings, storage, wiring, CLI."""
