"""Discord adapter: slash and context-menu commands, mentions, DMs and answer buttons."""
