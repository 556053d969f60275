"""One module per conversation: what the bot says for each user goal."""
